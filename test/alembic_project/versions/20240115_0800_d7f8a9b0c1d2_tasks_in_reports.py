"""tasks in reports

Revision ID: d7f8a9b0c1d2
Revises: d5e6f7a8b9c0
Create Date: 2024-01-15 08:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'd7f8a9b0c1d2'
down_revision = 'd5e6f7a8b9c0'
branch_labels = None
depends_on = 'c3d9e8f7a6b5'


def upgrade():
    op.add_column('tasks', sa.Column('report_id', sa.Integer, nullable=True))
    op.create_foreign_key('fk_tasks_report', 'tasks', 'reports', ['report_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.drop_constraint('fk_tasks_report', 'tasks', type_='foreignkey')
    op.drop_column('tasks', 'report_id')
