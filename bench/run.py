"""Page timings as ratios against a bare Flask "hello" route measured in the same run.

    make bench            (or: .venv/bin/python bench/run.py [--requests N])

Everything runs in-process through the same WSGI test client, on a throw-away SQLite database with the real
curriculum synced, so the ratios compare our pages with Flask's floor on this machine. Absolute numbers vary
with the machine; ratios are what to compare between runs.
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


def timed(client, path: str, n: int) -> float:
    """Median milliseconds per request over ``n`` requests (after a warm-up)."""
    for _ in range(5):
        assert client.get(path).status_code == 200, path
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--students", type=int, default=30)
    args = parser.parse_args()

    from flask import Flask

    from app import create_app
    from app.extensions import db
    from app.models import Module, ModuleProgress, Role, User
    from app.services import assignments, classes
    from app.services.course_sync import sync_courses
    from app.services.passwords import hash_password

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3", WTF_CSRF_ENABLED=False,
                         RATELIMIT_ENABLED=False)
        with app.app_context():
            db.create_all()
            sync_courses(ROOT / "courses")
            password = hash_password("bench password here")
            teacher = User(name="Teacher", email="t@bench.example", password_hash=password, role=Role.TEACHER)
            student = User(name="Student", email="s@bench.example", password_hash=password)
            db.session.add_all([teacher, student])
            db.session.commit()
            school_class = classes.create_class(teacher, name="Bench", school="Bench", term="2026")
            modules = db.session.scalars(db.select(Module).order_by(Module.position)).all()
            for i in range(args.students):
                user = User(name=f"S{i}", email=f"s{i}@bench.example", password_hash=password)
                db.session.add(user)
                db.session.flush()
                db.session.add(classes.Enrollment(class_id=school_class.id, user_id=user.id))
                for module in modules[:5]:
                    db.session.add(ModuleProgress(user_id=user.id, module_id=module.id, attempts=1, best_percent=80))
            db.session.commit()
            for module in modules:
                assignments.assign(school_class, module_id=module.id, course_id=None, due_at=None, note="", by=teacher)
            class_id, module_slug = school_class.id, modules[2].slug

        hello_client = hello.test_client()
        guest = app.test_client()
        student_client = app.test_client()
        student_client.post("/auth/login", data={"email": "s@bench.example", "password": "bench password here"})
        teacher_client = app.test_client()
        teacher_client.post("/auth/login", data={"email": "t@bench.example", "password": "bench password here"})

        base = timed(hello_client, "/", args.requests)
        rows = [
            ("bare Flask hello (baseline)", base),
            ("home page, visitor", timed(guest, "/", args.requests)),
            ("catalogue, student", timed(student_client, "/courses", args.requests)),
            ("module page with charts, student", timed(student_client,
                                                       f"/courses/climate-literacy-foundations/{module_slug}",
                                                       args.requests)),
            ("student dashboard", timed(student_client, "/dashboard", args.requests)),
            (f"gradebook, {args.students} students x {len(modules)} items",
             timed(teacher_client, f"/teach/classes/{class_id}/gradebook", max(args.requests // 4, 20))),
        ]
    print(f"{'page':48} {'ms/request':>10} {'x hello':>9}")
    for name, ms in rows:
        print(f"{name:48} {ms:10.2f} {ms / base:9.1f}")


if __name__ == "__main__":
    main()
