"""reporting tables

Revision ID: c3d9e8f7a6b5
Revises: b7e2f0c1a9d3
Create Date: 2024-01-10 14:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'c3d9e8f7a6b5'
down_revision = 'b7e2f0c1a9d3'
branch_labels = ('reporting',)
depends_on = None


def upgrade():
    op.create_table(
        'reports',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('title', sa.String(200), nullable=False),
        sa.Column('created_by', sa.Integer, sa.ForeignKey('users.id'), nullable=True),
    )


def downgrade():
    op.drop_table('reports')
