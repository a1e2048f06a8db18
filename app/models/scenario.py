"""Stored results of the scenario explorer: one row per point of the lever grid, computed by FaIR offline."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class ScenarioRun(Base):
    """FaIR's yearly results for one lever setting (``Levers.key``) under one model version."""

    __tablename__ = "scenario_runs"

    model_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
