"""rename users.name to full_name

Revision ID: d5e6f7a8b9c0
Revises: b7e2f0c1a9d3
Create Date: 2024-01-12 11:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'd5e6f7a8b9c0'
down_revision = 'b7e2f0c1a9d3'
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column('users', 'name', new_column_name='full_name')
    # a data migration in SQL
    op.execute("UPDATE users SET full_name = initcap(full_name)")


def downgrade():
    op.execute("UPDATE users SET full_name = lower(full_name)")
    op.alter_column('users', 'full_name', new_column_name='name')
