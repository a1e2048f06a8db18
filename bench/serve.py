"""Pages served by gunicorn, measured against a bare Flask "hello" app served the same way, in interleaved rounds.

    make bench                                   (SQLite, then PostgreSQL if BENCH_DATABASE_URL is set)
    .venv/bin/python bench/serve.py --db sqlite --seconds 5 --rounds 3
    BENCH_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/serve.py --db postgres

What it does, so the figures mean what the performance goals say:
- the schema comes from the migrations (``flask db upgrade``), the curriculum from a real ``flask courses sync``;
- classes of 5, 200 and 1,000 students with real submitted attempts (graded by the quiz engine) on two modules;
- the app and a one-route Flask app both run under gunicorn with the same worker count; wrk (Debian's package) drives
  each page and the hello route alternately, 16 connections, and the table reports the median over the rounds of
  throughput ÷ hello throughput, and p99 latency ÷ hello p99 (a ratio of 1.0 would be Flask's floor);
- two "floor" rows (bench/floor.py): a signed-in route that returns two bytes, and an empty page in the layout, so
  the table shows what every page pays before its own work;
- quiz submit is measured sequentially (one student posting one submit after another), against sequential hello;
- ``flask courses sync`` cold vs no-change, on the curriculum and on a generated 100-module course;
- RSS of the app's workers after the run.

Absolute numbers depend on the machine and whatever else runs on it; ratios measured in the same minutes are what to
compare. CI does not run this.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "bench password here"
CLASS_SIZES = (5, 200, 1000)
GOALS = {
    "module page (largest)": "≥ 0.40×",
    "student dashboard": "≥ 0.25×",
    "catalogue": "≥ 0.40×",
    "course page": "",
    "quiz submit (sequential)": "≥ 0.20×",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------------------------- database and data

def app_env(database_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "ONDO_CONFIG": "production", "SECRET_KEY": "bench-" + "x" * 40,
        "ONDO_INSTANCE_PATH": str(instance), "COURSES_PATH": str(ROOT / "courses"),
        "PUBLIC_BASE_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1,localhost",
        "AUTH_RATE_LIMIT": "100000 per minute", "PYTHONPATH": str(ROOT),
    })
    return env


def flask(env: dict[str, str], *args: str) -> float:
    """Run a flask command; seconds it took."""
    start = time.perf_counter()
    done = subprocess.run([str(BIN / "flask"), "--app", "app", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - start


def reset_schema(env: dict[str, str]) -> None:
    flask(env, "db", "downgrade", "base")
    flask(env, "db", "upgrade")


@dataclass
class Fixture:
    module_path: str = ""
    course_path: str = ""
    quiz_module: str = ""
    student_email: str = ""
    teacher_email: str = ""
    classes: dict[int, int] = field(default_factory=dict)   # class size -> class id
    analysed_module_id: int = 0


def seed(env: dict[str, str], sizes: tuple[int, ...]) -> Fixture:
    """Teacher, students and classes with real graded attempts, written through the services."""
    # config.py reads the environment when it is first imported, which is here: the same settings as the servers.
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "ONDO_INSTANCE_PATH", "COURSES_PATH", "SECRET_KEY",
                                           "PUBLIC_BASE_URL", "TRUSTED_HOSTS")})
    import random

    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Course, Enrollment, Module, ModuleText, Role, User
    from app.quizzes import Quiz, correct_response
    from app.services import assignments, attempts, classes
    from app.services.passwords import hash_password

    app = create_app("production")
    rng = random.Random(2026)
    fixture = Fixture(student_email="student@bench.example", teacher_email="teacher@bench.example")
    with app.app_context():
        password = hash_password(PASSWORD)
        teacher = User(name="Teacher", email=fixture.teacher_email, password_hash=password, role=Role.TEACHER)
        student = User(name="Student", email=fixture.student_email, password_hash=password)
        db.session.add_all([teacher, student])
        db.session.commit()
        modules = db.session.scalars(select(Module).where(Module.archived.is_(False)).order_by(Module.position)).all()
        html_sizes = dict(db.session.execute(
            select(ModuleText.module_id, func.length(ModuleText.body_html)).where(ModuleText.lang == "en")).all())
        largest = max(modules, key=lambda m: html_sizes.get(m.id, 0))
        course = db.session.get(Course, largest.course_id)
        fixture.module_path = f"/courses/{course.slug}/{largest.slug}"
        fixture.course_path = f"/courses/{course.slug}"
        quiz_modules = [m for m in modules if db.session.scalar(select(ModuleText.id).where(
            ModuleText.module_id == m.id, ModuleText.lang == "en", ModuleText.quiz.is_not(None)))]
        quizzed = quiz_modules[1:3]
        fixture.quiz_module = f"/courses/{course.slug}/{quizzed[0].slug}"
        fixture.analysed_module_id = quizzed[0].id

        for size in sizes:
            school_class = classes.create_class(teacher, name=f"Bench {size}", school="Bench", term="2026")
            fixture.classes[size] = school_class.id
            for i in range(size):
                user = User(name=f"Student {size}-{i:04}", email=f"s{size}-{i}@bench.example", password_hash=password)
                db.session.add(user)
                db.session.flush()
                db.session.add(Enrollment(class_id=school_class.id, user_id=user.id))
                db.session.commit()
                for module in quizzed:
                    attempt = attempts.start_or_resume(user.id, module, "en")
                    quiz = Quiz.from_dict(attempt.quiz_snapshot)
                    responses = {q.id: correct_response(q) for q in quiz.questions if rng.random() < 0.6}
                    attempts.submit(attempt, responses)
            for module in modules:
                assignments.assign(school_class, module_id=module.id, course_id=None, due_at=None, note="", by=teacher)
        db.session.add(Enrollment(class_id=fixture.classes[sizes[0]], user_id=student.id))
        db.session.commit()
    return fixture


# --------------------------------------------------------------------------------------------- servers and clients

class Server:
    """gunicorn serving ``target`` on a free port, with the production settings the app would have."""

    def __init__(self, target: str, env: dict[str, str], workers: int):
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", "/dev/null", "--error-logfile", "/dev/null", target],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/")
                conn.getresponse().read()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{target} did not start")

    def worker_rss_mib(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
        return sizes

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


class Browser:
    """Just enough of a browser for the bench: cookies by hand (production cookies are Secure, we speak http)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": self.cookie_header(), "Host": "127.0.0.1"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)

    def csrf(self, path: str = "/") -> str:
        _status, _headers, page = self.request("GET", path)
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def login(self, email: str) -> None:
        token = self.csrf("/auth/login")
        status, _headers, _ = self.request("POST", "/auth/login",
                                           {"email": email, "password": PASSWORD, "csrf_token": token})
        if status not in (302, 303):
            raise RuntimeError(f"login of {email} answered {status}")


@dataclass
class Load:
    rps: float
    p99_ms: float


def wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "--latency",
               "-H", "Host: 127.0.0.1"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                         check=True).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"{path} answered non-2xx under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return Load(rps, p99)


def sequential_submit_ms(browser: Browser, module_path: str, n: int) -> float:
    """Median milliseconds of one quiz submit POST (the start of each attempt is not timed)."""
    from app.quizzes import Quiz, correct_response, field_names

    samples = []
    for _ in range(n):
        token = browser.csrf(module_path)
        status, headers, _ = browser.request("POST", f"{module_path}/quiz", {"lang": "en", "csrf_token": token})
        location = urllib.parse.urlsplit(headers.get("Location", "")).path
        if status not in (302, 303) or not location:
            raise RuntimeError(f"starting the quiz answered {status}")
        quiz = Quiz.from_dict(_snapshot(location.rsplit("/", 1)[1]))
        names = field_names(quiz)
        form = {names[q.id]: correct_response(q) for q in quiz.questions}
        form["csrf_token"] = token
        start = time.perf_counter()
        status, _headers, _ = browser.request("POST", location, form)
        samples.append((time.perf_counter() - start) * 1000)
        if status not in (200, 302, 303):
            raise RuntimeError(f"submit answered {status}")
    return statistics.median(samples)


def _snapshot(public_id: str) -> dict:
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import QuizAttempt

    app = _snapshot.app = getattr(_snapshot, "app", None) or create_app("production")
    with app.app_context():
        return db.session.scalar(select(QuizAttempt.quiz_snapshot).where(QuizAttempt.public_id == public_id))


def sequential_hello_ms(port: int, n: int) -> float:
    samples = []
    for _ in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        start = time.perf_counter()
        conn.request("GET", "/")
        conn.getresponse().read()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


# --------------------------------------------------------------------------------------------- sync

def generated_course(target: Path, modules: int) -> Path:
    """``modules`` modules made from the curriculum's own files, renamed (real size and features), in courses of 50
    (a course numbers its modules with two digits)."""
    source = ROOT / "courses" / "climate-literacy-foundations"
    originals = sorted(p.name.removesuffix(".en.md") for p in source.glob("*.en.md"))
    course_yml = (source / "course.yml").read_text(encoding="utf-8")
    for i in range(modules):
        course = target / f"generated-{i // 50 + 1}"
        if not course.exists():
            course.mkdir(parents=True)
            (course / "course.yml").write_text(course_yml.replace("order: 1", f"order: {i // 50 + 9}"),
                                               encoding="utf-8")
        original = originals[i % len(originals)]
        for lang in ("en", "ko"):
            # Prerequisites name the original slugs, which the renamed copies do not have.
            text = (source / f"{original}.{lang}.md").read_text(encoding="utf-8")
            text = re.sub(r"(?m)^prerequisites:.*\n", "", text)
            (course / f"{i % 50:02}-{original.split('-', 1)[1]}-{i}.{lang}.md").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "courses" / "_data", target / "_data")
    return target


def sync_figures(database_url: str, tmp: Path) -> list[tuple[str, float, float]]:
    rows = []
    for label, courses in (("curriculum", ROOT / "courses"),
                           ("generated 100-module course", generated_course(tmp / "gen", 100))):
        env = app_env(database_url, tmp / "sync-instance")
        env["COURSES_PATH"] = str(courses)
        cold, warm = [], []
        for _ in range(3):
            reset_schema(env)
            cold.append(flask(env, "courses", "sync"))
            warm.append(flask(env, "courses", "sync"))
        rows.append((label, statistics.median(cold), statistics.median(warm)))
    return rows


# --------------------------------------------------------------------------------------------- the run

def run(db_kind: str, database_url: str, args) -> None:
    with tempfile.TemporaryDirectory(prefix="ondo-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = app_env(database_url, tmp / "instance")
        reset_schema(env)
        flask(env, "courses", "sync")
        print(f"[{db_kind}] seeding classes of {', '.join(map(str, args.sizes))} students with graded attempts…",
              file=sys.stderr)
        fixture = seed(env, args.sizes)

        # The app with two do-nothing routes (bench/floor.py): the same code and settings as create_app().
        app_server = Server("bench.floor:app", env, args.workers)
        hello_server = Server("bench.hello:app", env, args.workers)
        try:
            student, teacher = Browser(app_server.port), Browser(app_server.port)
            student.login(fixture.student_email)
            teacher.login(fixture.teacher_email)
            pages = [
                ("floor: signed-in route, no page", "/bench/signed-in", student),
                ("floor: empty page in the layout", "/bench/layout", student),
                ("module page (largest)", fixture.module_path, student),
                ("student dashboard", "/dashboard", student),
                ("catalogue", "/courses", student),
                ("course page", fixture.course_path, student),
            ]
            for size, class_id in fixture.classes.items():
                pages.append((f"gradebook, {size} students", f"/teach/classes/{class_id}/gradebook", teacher))
                pages.append((f"item analysis, {size} students",
                              f"/teach/classes/{class_id}/analysis/{fixture.analysed_module_id}", teacher))
            if args.only:
                pages = [page for page in pages if any(word in page[0] for word in args.only)]
            for name, path, who in pages:   # every page answers 200 before it is timed
                status = who.request("GET", path)[0]
                if status != 200:
                    raise RuntimeError(f"{name} {path} answered {status}")

            ratios: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _p, _w in pages}
            submits = not args.only or any(word in "quiz submit" for word in args.only)
            if submits:
                ratios["quiz submit (sequential)"] = []
            for round_no in range(args.rounds):
                print(f"[{db_kind}] round {round_no + 1} of {args.rounds}", file=sys.stderr)
                for name, path, who in pages:
                    hello = wrk(hello_server.port, "/", "", args.seconds, args.connections)
                    page = wrk(app_server.port, path, who.cookie_header(), args.seconds, args.connections)
                    ratios[name].append((page.rps / hello.rps, page.p99_ms, page.p99_ms / hello.p99_ms, page.rps,
                                         hello.rps))
                if submits:
                    hello_ms = sequential_hello_ms(hello_server.port, 200)
                    submit_ms = sequential_submit_ms(student, fixture.quiz_module, args.submits)
                    ratios["quiz submit (sequential)"].append((hello_ms / submit_ms, submit_ms, submit_ms / hello_ms,
                                                               1000 / submit_ms, 1000 / hello_ms))
            rss = app_server.worker_rss_mib()
        finally:
            app_server.stop()
            hello_server.stop()
        syncs = [] if args.skip_sync else sync_figures(database_url, tmp)

    print(f"\n## {db_kind}: gunicorn {args.workers} workers, wrk {args.connections} connections, "
          f"{args.seconds} s × {args.rounds} rounds (medians)\n")
    print("| page | throughput × hello | req/s (hello) | p99 ms | p99 × hello | goal |")
    print("|---|---|---|---|---|---|")
    for name, samples in ratios.items():
        throughput = statistics.median(s[0] for s in samples)
        p99 = statistics.median(s[1] for s in samples)
        p99_ratio = statistics.median(s[2] for s in samples)
        rps, hello_rps = (statistics.median(s[i] for s in samples) for i in (3, 4))
        goal = GOALS.get(name, "≤ 10× hello latency" if "students" in name else
                         "(what every page pays)" if name.startswith("floor") else "")
        print(f"| {name} | {throughput:.3f}× | {rps:.0f} ({hello_rps:.0f}) | {p99:.1f} | {p99_ratio:.1f}× | {goal} |")
    print()
    print("| sync | cold s | no-change s | no-change ÷ cold | goal |")
    print("|---|---|---|---|---|")
    for label, cold, warm in syncs:
        print(f"| {label} | {cold:.2f} | {warm:.2f} | {warm / cold:.0%} | ≤ 5% |")
    print()
    print(f"worker RSS after the run: {', '.join(f'{r:.0f} MiB' for r in rss)} (goal ≤ 120 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sizes", type=lambda v: tuple(int(n) for n in v.split(",")), default=CLASS_SIZES,
                        help="class sizes, comma-separated")
    parser.add_argument("--submits", type=int, default=30, help="sequential quiz submits per round")
    parser.add_argument("--only", type=lambda v: v.split(","), default=[],
                        help="only the pages whose name holds one of these words, e.g. module,submit")
    parser.add_argument("--skip-sync", action="store_true", help="leave out the sync figures")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench needs wrk: apt-get install -y wrk")
    if args.db == "both":
        # One process per database: config.py reads DATABASE_URL once, when the seeding first imports the app.
        rest, skip = [], False
        for arg in sys.argv[1:]:
            if skip or arg.startswith("--db="):
                skip = False
                continue
            skip = arg == "--db"
            if not skip:
                rest.append(arg)
        for kind in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, "--db", kind, *rest], check=True)
        return
    for kind in [args.db]:
        if kind == "sqlite":
            with tempfile.TemporaryDirectory(prefix="ondo-bench-db-") as folder:
                run(kind, f"sqlite:///{folder}/bench.sqlite3", args)
        else:
            url = os.environ.get("BENCH_DATABASE_URL")
            if not url:
                print("\nBENCH_DATABASE_URL not set: PostgreSQL part not run", file=sys.stderr)
                continue
            run(kind, url, args)


if __name__ == "__main__":
    main()
