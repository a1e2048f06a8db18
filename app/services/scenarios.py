"""Stored FaIR results of the scenario explorer: look one up for a page, compute the missing ones offline.

Pages only read rows. Computing imports numpy, pandas and fair (app/projections/model.py), so it happens in
``flask scenarios compute`` (run by ``flask courses sync`` too), never in a web worker.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from app.extensions import db
from app.models import ScenarioRun
from app.projections.levers import Levers, all_levers

# Bump when the model set-up, its inputs or the meaning of the levers change: old rows are then ignored.
MODEL_VERSION = "fair-2.2.5/calib-1.4.1/3-members/v1"


def stored_run(levers: Levers) -> dict[str, Any] | None:
    """The stored result for these levers, or None if it has not been computed."""
    return db.session.scalar(
        select(ScenarioRun.data).where(ScenarioRun.model_version == MODEL_VERSION, ScenarioRun.key == levers.key)
    )


def missing(levers: Iterable[Levers]) -> list[Levers]:
    """The levers among ``levers`` with no stored result for this model version."""
    done = set(db.session.scalars(select(ScenarioRun.key).where(ScenarioRun.model_version == MODEL_VERSION)))
    return [lever for lever in levers if lever.key not in done]


def store(results: dict[str, dict[str, Any]]) -> int:
    """Save results keyed by ``Levers.key`` (replacing any for the same key) and commit; returns how many."""
    if not results:
        return 0
    db.session.execute(
        delete(ScenarioRun).where(ScenarioRun.model_version == MODEL_VERSION, ScenarioRun.key.in_(list(results)))
    )
    db.session.add_all(ScenarioRun(model_version=MODEL_VERSION, key=key, data=data) for key, data in results.items())
    db.session.commit()
    return len(results)


def compute(
    emissions_csv: Path,
    levers: Iterable[Levers] | None = None,
    *,
    chunk: int = 150,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Run FaIR for the levers (the whole grid by default) that have no result yet; store each chunk as it ends."""
    from app.projections.model import Model  # numpy, pandas and fair: only in this offline step

    todo = missing(all_levers() if levers is None else levers)
    if not todo:
        return 0
    model = Model(emissions_csv)
    done = 0
    for first in range(0, len(todo), chunk):
        batch = todo[first : first + chunk]
        results = model.run_levers(batch)
        done += store({key: result.to_dict() for key, result in results.items()})
        db.session.execute(delete(ScenarioRun).where(ScenarioRun.model_version != MODEL_VERSION))
        db.session.commit()
        if progress is not None:
            progress(done, len(todo))
    return done
