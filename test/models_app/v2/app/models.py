"""Version 2: tasks get a priority (server default) and a due date."""
from datetime import date
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Column, Field, SQLModel


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    email: str


class Task(SQLModel, table=True):
    __tablename__ = "tasks"
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    owner_id: int = Field(foreign_key="users.id")
    priority: str = Field(sa_column=Column(sa.String(10), nullable=False, server_default="medium"))
    due_date: Optional[date] = None
