"""Authoring preview time on the curriculum, in-process: `python bench/preview.py [--runs N]`.

Syncs courses/ into a temporary SQLite database and times services.authoring.check_text (what the editor's
"Check" and "Publish" run) on one module of each course, unchanged and with an error typed in.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Course, Module
    from app.services import authoring
    from app.services.course_sync import sync_courses

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                         COURSES_PATH=str(ROOT / "courses"), UPLOADS_PATH=str(Path(tmp) / "uploads"))
        with app.app_context():
            db.create_all()
            sync_courses(ROOT / "courses")
            courses = db.session.scalars(select(Course).order_by(Course.position)).all()
            for course in courses:
                modules = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                             .order_by(Module.position).limit(2)).all()  # the diagnostic, a lesson
                for module in modules:
                    _time(authoring, course, module, args.runs)


def _time(authoring, course, module, runs: int) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import ModuleText

    text = db.session.scalar(select(ModuleText.source_markdown)
                             .where(ModuleText.module_id == module.id, ModuleText.lang == "en"))
    for label, typed in (("unchanged", text), ("with an error", text + "\n![](assets/none.png)\n")):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            check = authoring.check_text(course, module, "en", typed)
            times.append(time.perf_counter() - start)
        print(f"{course.slug}/{module.slug} {label}: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}), {len(check.errors)} error(s) {[str(p) for p in check.errors[:2]]}")

if __name__ == "__main__":
    main()
