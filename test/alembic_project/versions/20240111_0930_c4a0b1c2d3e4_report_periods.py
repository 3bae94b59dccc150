"""report periods

Revision ID: c4a0b1c2d3e4
Revises: c3d9e8f7a6b5
Create Date: 2024-01-11 09:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'c4a0b1c2d3e4'
down_revision = 'c3d9e8f7a6b5'
branch_labels = None
depends_on = None


def upgrade():
    # batch operations (on PostgreSQL: ALTER TABLE, no table copy)
    with op.batch_alter_table('reports') as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))
        batch_op.create_index('ix_reports_period', ['period_start', 'period_end'])
        batch_op.create_check_constraint('ck_reports_period', 'period_end >= period_start')


def downgrade():
    with op.batch_alter_table('reports') as batch_op:
        batch_op.drop_constraint('ck_reports_period', type_='check')
        batch_op.drop_index('ix_reports_period')
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')
