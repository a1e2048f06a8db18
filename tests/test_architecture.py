"""The layering docs/architecture.md describes, checked on the code so it stays true.

- Blueprints (one package per audience) call services; they never touch the database session themselves, and never
  import each other: what several of them need lives in app/web/.
- app/content and app/quizzes are pure: no Flask, no extensions, no models, so tests and the sync use them without an
  app, and web workers do not drag the database layer into the Markdown pipeline (or back).
- The two pure packages do not import each other in a cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
BLUEPRINTS = ("admin", "auth", "learn", "lti", "teach")
PURE = ("content", "quizzes")


def _python_files(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


def _imports(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, also those inside functions, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = package or ".".join(path.relative_to(APP.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(APP.parent)}:{line}"


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    sample = tmp_path / "probe.py"
    sample.write_text("def f():\n    from ..teach import routes\n    import app.admin.users\n", encoding="utf-8")
    modules = {module for _line, module in _imports(sample, package="app.learn")}
    assert {"app.teach", "app.teach.routes", "app.admin.users"} <= modules


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_blueprints_leave_the_session_to_services(blueprint):
    offences = []
    for path in _python_files(blueprint):
        source = path.read_text(encoding="utf-8")
        offences += [_where(path, number) for number, line in enumerate(source.splitlines(), 1)
                     if "db.session" in line]
        offences += [_where(path, line) for line, module in _imports(path) if module == "app.extensions.db"]
    assert offences == [], "views call services, which own the unit of work"


def test_the_command_line_writes_through_services():
    path = APP / "cli.py"
    assert "db.session" not in path.read_text(encoding="utf-8")
    assert "app.extensions.db" not in {module for _line, module in _imports(path)}


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_blueprints_do_not_import_each_other(blueprint):
    others = tuple(f"app.{other}" for other in BLUEPRINTS if other != blueprint)
    offences = [f"{_where(path, line)} imports {module}"
                for path in _python_files(blueprint) for line, module in _imports(path)
                if module in others or module.startswith(tuple(f"{other}." for other in others))]
    assert offences == [], "shared web pieces belong in app/web/"


@pytest.mark.parametrize("package", PURE)
def test_content_and_quizzes_are_pure(package):
    forbidden = ("flask", "flask_babel", "flask_login", "app.extensions", "app.models", "app.services", "app.web",
                 *(f"app.{blueprint}" for blueprint in BLUEPRINTS))
    offences = [f"{_where(path, line)} imports {module}"
                for path in _python_files(package) for line, module in _imports(path)
                if module in forbidden or module.startswith(tuple(f"{name}." for name in forbidden))]
    assert offences == []


def test_quizzes_do_not_import_content():
    # content renders quizzes; quizzes must not reach back (the shared problem types live in app/problems.py)
    offences = [f"{_where(path, line)} imports {module}"
                for path in _python_files("quizzes") for line, module in _imports(path)
                if module == "app.content" or module.startswith("app.content.")]
    assert offences == []


def test_app_web_is_shared_by_blueprints_and_imports_none_of_them():
    offences = [f"{_where(path, line)} imports {module}"
                for path in _python_files("web") for line, module in _imports(path)
                if module.startswith(tuple(f"app.{blueprint}" for blueprint in BLUEPRINTS))]
    assert offences == []


def test_the_shared_problem_types_import_nothing_of_the_app():
    # app/problems.py is what both pure packages share: it must stay below them (no Flask, no app module)
    path = APP / "problems.py"
    offences = [f"{_where(path, line)} imports {module}" for line, module in _imports(path, package="app")
                if module.split(".")[0] in ("app", "flask", "flask_babel", "flask_login", "sqlalchemy")]
    assert offences == []
