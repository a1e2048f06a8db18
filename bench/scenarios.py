"""Scenario explorer timings as ratios against a bare Flask "hello" route measured in the same run.

    .venv/bin/python bench/scenarios.py [--requests N] [--batch N]

- cold computation: a new process that imports fair, sets the model up and runs one lever setting (what computing a
  result on demand would cost), and, in-process, one lever setting on a set-up model and the time per setting when
  ``flask scenarios compute`` runs them in batches;
- cached page: the module page with levers whose result is stored (what a student waits for), through the WSGI test
  client on a throw-away SQLite database with the real curriculum synced, as bench/run.py does.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EMISSIONS = ROOT / "courses" / "_data" / "rcmip_ssp_emissions_world.csv"
PAGE = "/courses/climate-literacy-foundations/future-climate?scenario=1&peak=2025&growth=1&decline=5&settle=0"

COLD = f"""
import time
start = time.perf_counter()
from pathlib import Path
from app.projections.levers import Levers
from app.projections.model import Model
Model(Path({str(EMISSIONS)!r})).run_levers([Levers(peak=2030)])
print(time.perf_counter() - start)
"""


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
    parser.add_argument("--batch", type=int, default=150, help="lever settings in the batch run")
    args = parser.parse_args()

    from flask import Flask

    hello = Flask("hello")
    hello.add_url_rule("/", "hello", lambda: "hello")
    base = timed(hello.test_client(), "/", args.requests)

    cold = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
    cold_ms = float(cold.stdout.strip().splitlines()[-1]) * 1000

    from app.projections.levers import Levers, all_levers
    from app.projections.model import Model

    model = Model(EMISSIONS)
    model.run_levers([Levers(peak=2035)])  # warm-up
    start = time.perf_counter()
    results = model.run_levers([Levers(peak=2030, decline=5)])
    warm_ms = (time.perf_counter() - start) * 1000
    batch = all_levers()[: args.batch]
    start = time.perf_counter()
    results.update(model.run_levers(batch))
    per_setting_ms = (time.perf_counter() - start) * 1000 / len(batch)
    results.update(model.run_levers([Levers(peak=2025, growth=1, decline=5, settle=0)]))

    from app import create_app
    from app.extensions import db
    from app.models import User
    from app.services import scenarios
    from app.services.course_sync import sync_courses
    from app.services.passwords import hash_password

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3", WTF_CSRF_ENABLED=False,
                         RATELIMIT_ENABLED=False)
        with app.app_context():
            db.create_all()
            sync_courses(ROOT / "courses")
            scenarios.store({key: result.to_dict() for key, result in results.items()})
            db.session.add(User(name="Student", email="s@bench.example",
                                password_hash=hash_password("bench password here")))
            db.session.commit()
        student = app.test_client()
        student.post("/auth/login", data={"email": "s@bench.example", "password": "bench password here"})
        assert "scenario-sentence" in student.get(PAGE).get_data(as_text=True)
        page_ms = timed(student, PAGE, args.requests)
        plain_ms = timed(student, "/courses/climate-literacy-foundations/evidence-data-lab", args.requests)

    rows = [
        ("bare Flask hello (baseline)", base),
        ("cold: new process, import fair, set up, run 1", cold_ms),
        ("warm: one lever setting on a set-up model", warm_ms),
        (f"batch: per lever setting ({len(batch)} at once)", per_setting_ms),
        ("module page with a stored scenario result", page_ms),
        ("module page without an explorer (04 data lab)", plain_ms),
    ]
    print(f"{'what':52} {'ms':>10} {'x hello':>10}")
    for name, ms in rows:
        print(f"{name:52} {ms:10.2f} {ms / base:10.1f}")
    print(f"whole grid ({len(all_levers())} settings) at the batch rate: about "
          f"{per_setting_ms * len(all_levers()) / 1000:.0f} s")


if __name__ == "__main__":
    main()
