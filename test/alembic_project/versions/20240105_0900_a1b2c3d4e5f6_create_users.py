"""create users

Revision ID: a1b2c3d4e5f6
Revises:
Create Date: 2024-01-05 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'a1b2c3d4e5f6'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'users',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('email', sa.String(200), nullable=False, unique=True),
        sa.Column('role', sa.Enum('admin', 'member', name='user_role'), nullable=False,
                  server_default='member'),
    )


def downgrade():
    op.drop_table('users')
    op.execute('DROP TYPE user_role')
