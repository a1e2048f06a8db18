"""The migrations build exactly the models, and can be undone and redone."""
from __future__ import annotations

from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db


def test_downgrade_to_base_then_upgrade_gives_exactly_the_models(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        check()  # raises if autogenerate finds any difference between models and schema
        tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables
