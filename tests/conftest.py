"""Shared fixtures: one app per session on SQLite (default) or TEST_DATABASE_URL, tables emptied after each test."""
from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select, text

from app import create_app
from app.extensions import db, limiter
from app.models import Role

# Factories live in tests/factories.py; imported here too, so `from tests.conftest import make_user` keeps working.
from tests.factories import (  # noqa: F401
    PASSWORD,
    ClassRef,
    UserRef,
    _apps,
    _hash_of,
    assign_module,
    make_class,
    make_user,
    module_id,
    password_hash,
)

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')
IN_CI = os.environ.get("CI", "").lower() == "true"


class CSRFClient(FlaskClient):
    """A test client that sends a real CSRF token with every form POST, as a browser would.

    CSRF stays on in the test config; pass ``csrf=False`` to post without a token.
    """

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        elif csrf and data is None and "json" not in kwargs:
            kwargs["data"] = {"csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/", follow_redirects=True).get_data(as_text=True)
        return CSRF_RE.search(page).group(1)


@pytest.fixture(scope="session")
def instance_dir():
    with tempfile.TemporaryDirectory(prefix="ondo-test-") as path:
        yield Path(path)


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"... under pytest-xdist, "" in one process


def worker_database_url(url: str, worker: str = WORKER) -> str:
    """Each xdist worker gets its own PostgreSQL database, ``<name>_<worker>`` (ondo_ci_gw0...), created on demand
    and owned by the test role, which needs CREATEDB; in one process the URL is used as it is."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    maintenance = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with maintenance.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        maintenance.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(instance_dir):
    # instance_dir is a fresh temporary directory per process, so each xdist worker has its own SQLite file.
    url = os.environ.get("TEST_DATABASE_URL")
    url = worker_database_url(url) if url else f"sqlite:///{instance_dir / 'test.sqlite3'}"
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_OUTBOX_PATH=str(instance_dir / "outbox"),
        UPLOADS_PATH=str(instance_dir / "uploads"),
        COURSES_PATH=str(Path(__file__).resolve().parent.parent / "courses"),
        SERVER_NAME=None,
    )
    app.test_client_class = CSRFClient
    _apps[:] = [app]
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        # The schema comes from the migrations, so every run also proves they build exactly the models.
        downgrade(revision="base")
        upgrade()
    yield app


def pytest_collection_modifyitems(config, items):
    """In each module, its read_only tests first, in their order, then the others: the shared world they read is
    then built once, not again after every test that changes something."""
    modules: dict[str, int] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], len(modules))
    order = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (modules[item.nodeid.split("::")[0]], item.get_closest_marker("read_only") is None,
                                 order[id(item)]))


class _Database:
    """What the worker's database holds between tests: normally nothing (every test's tables are emptied after it);
    after a test marked read_only, the shared world it read (see shared_world)."""

    wipes = 0  # how many times the tables were emptied: a shared world built before the last wipe is gone
    dirty = False  # a read_only test left its world in the tables
    world: tuple[str, int, object] | None = None  # (key, wipes when built, the world)


@pytest.fixture(autouse=True)
def _clean_state(request):
    # Pure unit tests (content, quizzes) never touch the app; only tests that use it get it emptied.
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    read_only = request.node.get_closest_marker("read_only") is not None
    if not read_only and _Database.dirty:  # a shared world is still there: this test starts empty all the same
        with app.app_context():
            _empty_tables()
            db.session.remove()
    yield
    with app.app_context():
        if read_only:
            db.session.rollback()  # the world stays for the next read_only test
            _Database.dirty = True
        else:
            _empty_tables()
        db.session.remove()
    limiter.reset()


def shared_world(app, key: str, build):
    """The world ``build()`` makes, built once and shared by the read_only tests that ask for ``key``: kept in the
    tables while only read_only tests run, built again after anything emptied them. ``build`` runs with no app
    context (it may send requests); it opens its own."""
    current = _Database.world
    if current is not None and current[0] == key and current[1] == _Database.wipes:
        return current[2]
    with app.app_context():
        _empty_tables()
        db.session.remove()
    world = build()
    _Database.world = (key, _Database.wipes, world)
    _Database.dirty = True
    return world


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


@pytest.fixture
def outbox(app) -> Path:
    path = Path(app.config["MAIL_OUTBOX_PATH"])
    path.mkdir(parents=True, exist_ok=True)
    for message in [*path.glob("*.eml"), *path.glob("*.txt")]:
        message.unlink()
    return path


def without_random_tokens(page: str) -> str:
    """The page without what is random on every run (attempt ids, CSRF tokens, choice hashes, asset versions), so a
    short secret such as "97" cannot match inside one of them by chance in a "no answers in the page" test."""
    page = re.sub(r'name="csrf[-_]token" (?:content|value)="[^"]*"', "", page)
    page = re.sub(r'value="[A-Za-z0-9_-]{16,}"', "", page)
    return re.sub(r"[0-9a-f]{16,}", "", page)


class AuthActions:
    def __init__(self, client: CSRFClient):
        self.client = client

    def login(self, email: str, password: str = PASSWORD, **extra):
        return self.client.post("/auth/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as(app, client):
    """Create a user of ``role`` and log the test client in as them; returns the user's id and email."""

    def _login(role: Role | str = Role.STUDENT, **kw):
        user = make_user(role, **kw)
        response = AuthActions(client).login(user.email)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return user

    return _login


@pytest.fixture
def factories(app):
    """tests/factories.py, for tests that prefer a fixture to an import: factories.make_user(...), make_class..."""
    from tests import factories

    return factories


@contextmanager
def counted_queries(app):
    """Count SQL statements sent to the database inside the block."""
    statements: list[str] = []

    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


@pytest.fixture
def count_queries(app):
    return lambda: counted_queries(app)


FIXTURE_COURSES = Path(__file__).resolve().parent / "fixtures" / "courses"


@pytest.fixture(scope="session")
def _synced_course_rows(app) -> dict[str, list[dict]] | None:
    """tests/fixtures/courses synced once per worker through the real sync: the rows it wrote, table by table."""
    return _rows_written_by_sync(app, FIXTURE_COURSES)


def _rows_written_by_sync(app, folder: Path) -> dict[str, list[dict]] | None:
    """Sync ``folder`` through the real sync and keep the rows it wrote, table by table.

    Taken on the empty database (session fixtures are set up before the test's own), then the tables are emptied
    again. None if the database was not empty, and every test then syncs for itself.
    """
    from app.services.course_sync import sync_courses

    with app.app_context():
        if _Database.dirty:  # a read_only test's shared world
            _empty_tables()
        if any(db.session.execute(table.select().limit(1)).first() for table in db.metadata.sorted_tables):
            db.session.rollback()
            return None
        sync_courses(folder)
        rows = {}
        for table in db.metadata.sorted_tables:
            found = [dict(row) for row in db.session.execute(table.select()).mappings()]
            if found:
                rows[table.name] = found
        _empty_tables()
    return rows


def _empty_tables() -> None:
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    _Database.wipes += 1
    _Database.dirty = False


def _restore_rows(rows: dict[str, list[dict]]) -> None:
    """Insert captured rows as they were (same ids), then move PostgreSQL's id sequences past them."""
    tables = [table for table in db.metadata.sorted_tables if table.name in rows]
    for table in tables:
        db.session.execute(table.insert(), rows[table.name])
    if db.engine.dialect.name == "postgresql":
        serial = [(table.name, column.name) for table in tables for column in table.primary_key.columns
                  if column.autoincrement is True or (column.autoincrement == "auto" and len(table.primary_key) == 1
                                                      and column.type.python_type is int)]
        if serial:
            db.session.execute(text("SELECT " + ", ".join(
                f"setval(pg_get_serial_sequence('{name}', '{column}'), (SELECT max({column}) FROM {name}))"
                for name, column in serial)))
    db.session.commit()


@pytest.fixture
def sample_course(app, _synced_course_rows):
    """tests/fixtures/courses as the real sync loads it; returns the course slug.

    The sync runs once per worker (_synced_course_rows); each test gets its rows back, ids and version tokens
    included, into the tables emptied after the previous test, so a test that edits the course never leaks its
    edits into the next. If a course is already there (a fixture synced something first), the real sync runs.
    """
    _load_synced(app, FIXTURE_COURSES, _synced_course_rows)
    return "sample"


def _load_synced(app, folder: Path, rows: dict[str, list[dict]] | None) -> None:
    """Put back the rows one sync of ``folder`` wrote; the real sync when they could not be taken or a course is
    already there."""
    from app.models import Course
    from app.services.course_sync import sync_courses

    with app.app_context():
        if rows is None or db.session.scalar(select(Course.id).limit(1)) is not None:
            sync_courses(folder)
        else:
            _restore_rows(rows)
        db.session.remove()


CURRICULUM = Path(__file__).resolve().parent.parent / "courses"


@pytest.fixture(scope="session")
def _synced_curriculum_rows(app) -> dict[str, list[dict]] | None:
    return _rows_written_by_sync(app, CURRICULUM)


@pytest.fixture
def curriculum(app, _synced_curriculum_rows) -> Path:
    """The real curriculum (courses/) as the real sync loads it, restored from one sync per worker like
    ``sample_course`` (a sync of the whole curriculum takes seconds); returns the courses folder."""
    _load_synced(app, CURRICULUM, _synced_curriculum_rows)
    return CURRICULUM


# Scenario explorer: FaIR runs once per session for the few lever settings tests and pages use (about 20 s);
# tests store them with app.services.scenarios.store, since tables are emptied after every test.
SCENARIO_TEST_LEVERS = (
    "p2040-g1-d2-s0-mfollow",  # the foundations module's first explorer starts here
    "p2025-g1-d5-s0-mfollow",  # what the browser test picks
    "p2030-g1-d3-s0-mfollow",  # the delay explorer starts here
    "p2040-g1-d3-s0-mfollow",  # ten years later
    "p2040-g1-d2-s0-mcut",  # methane cut fast
    "p2040-g1-d2-s0-mhigh",  # methane rising
)


def _run_fair() -> dict[str, dict]:
    from app.projections.levers import AR6_CHECKS, all_levers
    from app.projections.model import EMISSIONS_NAME, Model

    wanted = {check.levers.key for check in AR6_CHECKS} | set(SCENARIO_TEST_LEVERS)
    levers = [lever for lever in all_levers() if lever.key in wanted]
    model = Model(Path(__file__).resolve().parent.parent / "courses" / "_data" / f"{EMISSIONS_NAME}.csv")
    return {key: result.to_dict() for key, result in model.run_levers(levers).items()}


@pytest.fixture(scope="session")
def fair_results() -> dict[str, dict]:
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return _run_fair()
    # Under xdist the workers of one run share one result: the first computes it under an exclusive file lock and
    # writes it, the others wait for the lock and read it. Keyed by the run, so no run reuses another's.
    import fcntl
    import json

    path = Path(tempfile.gettempdir()) / f"ondo-test-fair-{run}.json"
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if path.exists():
                return json.loads(path.read_text())
            results = _run_fair()
            partial = path.with_suffix(f".{WORKER}.tmp")
            partial.write_text(json.dumps(results))
            results = json.loads(partial.read_text())  # the very values the other workers read
            partial.replace(path)
            return results
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture
def stored_scenarios(app, fair_results) -> dict[str, dict]:
    from app.services import scenarios

    with app.app_context():
        scenarios.store(fair_results)
    return fair_results


# Access matrices (tests/test_access.py, tests/test_classes_access.py): one world per worker for the cases that only
# read (every GET, and every request refused); cases whose request changes something get a fresh one of their own.
ACCESS_CLASS_ROLES = ("student_in", "student_out", "owner", "co_teacher", "other_teacher", "admin")


@dataclass
class AccessWorld:
    people: dict[str, UserRef]  # "student", "teacher", "admin" (no class) and the class roles, "class.owner"...
    ids: dict[str, int]  # class_id, student_id, module_id, assignment_id
    clients: dict[str, CSRFClient]  # logged in once, by the same names


def build_class_world() -> tuple[dict[str, UserRef], dict[str, int]]:
    """A class with its owner, a co-teacher, an enrolled student and outsiders of every kind; sample course synced."""
    people = {
        "owner": make_user(Role.TEACHER), "co_teacher": make_user(Role.TEACHER),
        "other_teacher": make_user(Role.TEACHER), "student_in": make_user(Role.STUDENT),
        "student_out": make_user(Role.STUDENT), "admin": make_user(Role.ADMIN),
    }
    school_class = make_class(people["owner"], co_teachers=[people["co_teacher"]], students=[people["student_in"]])
    quiz = module_id("quiz")
    assignment_id = assign_module(school_class, quiz, by=people["owner"], prepost=True)
    return people, {"class_id": school_class.id, "student_id": people["student_in"].id, "module_id": quiz,
                    "assignment_id": assignment_id}


def logged_in_client(app, user: UserRef) -> CSRFClient:
    client = app.test_client()
    response = AuthActions(client).login(user.email)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def access_world(app, _synced_course_rows) -> AccessWorld:
    """For read_only tests only: the sample course, a user of each basic role, a class world, each logged in."""

    def build() -> AccessWorld:
        with app.app_context():
            if _synced_course_rows is None:
                from app.services.course_sync import sync_courses

                sync_courses(FIXTURE_COURSES)
            else:
                _restore_rows(_synced_course_rows)
            db.session.remove()
        people = {role: make_user(role) for role in ("student", "teacher", "admin")}
        class_people, ids = build_class_world()
        people.update({f"class.{role}": user for role, user in class_people.items()})
        clients = {name: logged_in_client(app, user) for name, user in people.items()}
        return AccessWorld(people, ids, clients)

    return shared_world(app, "access", build)
