"""Version 2: audit.events gains a column and a CHECK; a table in a second
schema, "Reports" (a name that needs quoting)."""
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
    sa.Column("source", sa.String(10), nullable=True),
    sa.CheckConstraint("source IN ('web', 'api')", name="ck_events_source"),
    sa.Index("ix_events_user", "user_id"),
    schema="audit",
)

daily = sa.Table(
    "daily", metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("logins", sa.Integer, nullable=False, server_default="0"),
    schema="Reports",
)
