"""Version 4: a composite index, an enum column with a server default."""
import enum
from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel


class Status(str, enum.Enum):
    todo = "todo"
    done = "done"


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    email: str = Field(sa_column=Column(sa.String, nullable=False, unique=True))


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    __table_args__ = (sa.Index("ix_tasks_owner_priority", "owner_id", "priority"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    owner_id: int = Field(foreign_key="users.id")
    priority: str = Field(sa_column=Column(sa.String(10), nullable=False, server_default="medium"))
    due_date: Optional[date] = None
    status: Status = Field(sa_column=Column(sa.Enum(Status, name="task_status"), nullable=False,
                                            server_default="todo"))


class Comment(SQLModel, table=True):
    __tablename__ = "comments"
    id: Optional[int] = Field(default=None, primary_key=True)
    body: str
    user_id: int = Field(foreign_key="users.id")
    task_id: int = Field(sa_column=Column(sa.Integer, sa.ForeignKey("tasks.id", ondelete="CASCADE"),
                                          nullable=False))
