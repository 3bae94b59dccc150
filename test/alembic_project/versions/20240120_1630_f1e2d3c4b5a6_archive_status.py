"""archive status

Revision ID: f1e2d3c4b5a6
Revises: e9a8b7c6d5e4
Create Date: 2024-01-20 16:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'f1e2d3c4b5a6'
down_revision = 'e9a8b7c6d5e4'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TYPE task_status ADD VALUE 'archived' AFTER 'done'")


def downgrade():
    raise NotImplementedError("PostgreSQL cannot remove a value from an enum type")
