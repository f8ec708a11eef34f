"""The run store's tables (SQLAlchemy 2 typed ORM): one row per run, one row per named result.

Table names carry a `standoff_` prefix so that the store can share a PostgreSQL database with
other applications. See docs/store.md for the columns and why they are there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Bumped whenever a table or column changes; a store written by a newer schema is refused.
SCHEMA_VERSION = 1

#: JSON as text on SQLite, JSONB (indexable, validated) on PostgreSQL.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key-value facts about the store itself; `schema_version` is the one that matters."""

    __tablename__ = "standoff_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class RunRow(Base):
    """One run of a verb: its inputs (scenario hash, model, parameters, seed, version) and when."""

    __tablename__ = "standoff_runs"
    # AUTOINCREMENT on SQLite: an id is never handed out twice, even after a rollback
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    case: Mapped[str | None] = mapped_column(Text, index=True)
    scenario_id: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    model: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSONType)
    seed: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    results: Mapped[list[ResultRow]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="ResultRow.position")


class ResultRow(Base):
    """One named result of a run (a forecast, a table), as JSON."""

    __tablename__ = "standoff_results"
    __table_args__ = (UniqueConstraint("run_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("standoff_runs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    payload: Mapped[Any] = mapped_column(JSONType)

    run: Mapped[RunRow] = relationship(back_populates="results")
