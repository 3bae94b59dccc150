"""Version 3: comments (foreign keys to users and tasks), a unique email."""
from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    email: str = Field(sa_column=Column(sa.String, nullable=False, unique=True))


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    owner_id: int = Field(foreign_key="users.id")
    priority: str = Field(sa_column=Column(sa.String(10), nullable=False, server_default="medium"))
    due_date: Optional[date] = None


class Comment(SQLModel, table=True):
    __tablename__ = "comments"
    id: Optional[int] = Field(default=None, primary_key=True)
    body: str
    user_id: int = Field(foreign_key="users.id")
    task_id: int = Field(sa_column=Column(sa.Integer, sa.ForeignKey("tasks.id", ondelete="CASCADE"),
                                          nullable=False))
