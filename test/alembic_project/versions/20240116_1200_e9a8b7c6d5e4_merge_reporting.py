"""merge reporting

Revision ID: e9a8b7c6d5e4
Revises: c4a0b1c2d3e4, d7f8a9b0c1d2
Create Date: 2024-01-16 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'e9a8b7c6d5e4'
down_revision = ('c4a0b1c2d3e4', 'd7f8a9b0c1d2')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
