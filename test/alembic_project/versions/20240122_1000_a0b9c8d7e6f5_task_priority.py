"""task priority

Revision ID: a0b9c8d7e6f5
Revises: f1e2d3c4b5a6
Create Date: 2024-01-22 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'a0b9c8d7e6f5'
down_revision = 'f1e2d3c4b5a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks') as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger, nullable=False, server_default='2'))
        batch_op.alter_column('title', type_=sa.String(500), existing_type=sa.Text, existing_nullable=False)
    op.create_table_comment('tasks', 'work items')
    op.create_unique_constraint('uq_reports_title', 'reports', ['title'])


def downgrade():
    op.drop_constraint('uq_reports_title', 'reports', type_='unique')
    op.drop_table_comment('tasks', existing_comment='work items')
    with op.batch_alter_table('tasks') as batch_op:
        batch_op.alter_column('title', type_=sa.Text, existing_type=sa.String(500), existing_nullable=False)
        batch_op.drop_column('priority')
