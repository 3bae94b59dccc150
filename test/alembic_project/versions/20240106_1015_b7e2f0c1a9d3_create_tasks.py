"""create tasks

Revision ID: b7e2f0c1a9d3
Revises: a1b2c3d4e5f6
Create Date: 2024-01-06 10:15:00

"""
from alembic import op
import sqlalchemy as sa

revision = 'b7e2f0c1a9d3'
down_revision = 'a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tasks',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('title', sa.Text, nullable=False),
        sa.Column('owner_id', sa.Integer, sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('status', sa.Enum('todo', 'doing', 'done', name='task_status'), nullable=False,
                  server_default='todo'),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    )
    op.create_index('ix_tasks_owner_status', 'tasks', ['owner_id', 'status'])
    # a data migration: seed rows, as offline mode can express them
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('name', sa.String),
                     sa.column('email', sa.String))
    op.bulk_insert(users, [{'id': 1, 'name': 'ada', 'email': 'ada@example.com'},
                           {'id': 2, 'name': 'bob', 'email': 'bob@example.com'}])
    op.execute("INSERT INTO tasks (title, owner_id, status) VALUES ('write docs', 1, 'doing'), ('ship', 2, 'todo')")


def downgrade():
    op.execute("DELETE FROM users WHERE id IN (1, 2)")
    op.drop_index('ix_tasks_owner_status', table_name='tasks')
    op.drop_table('tasks')
    op.execute('DROP TYPE task_status')
