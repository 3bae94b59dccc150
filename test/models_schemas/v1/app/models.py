"""Version 1: public.users, and audit.events referencing them, with an enum
of the audit schema and an index."""
import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("kind", sa.Enum("login", "logout", name="event_kind", schema="audit"), nullable=False),
    sa.Index("ix_events_user", "user_id"),
    schema="audit",
)
