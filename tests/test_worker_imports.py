"""Web workers serve stored HTML: they must not carry the Markdown renderer, Pygments or other sync-only code."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_reading_does_not_import_the_markdown_renderer(tmp_path):
    """Web workers serve stored HTML: creating the app and serving pages must not import Markdown or Pygments."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-2000:]


PROBE = '''
import sys, tempfile
sys.path.insert(0, ".")
from app import create_app
from app.extensions import db
folder = tempfile.mkdtemp()
app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/probe.sqlite3", SERVER_NAME=None,
                 TESTING=False)  # as under gunicorn
with app.app_context():
    db.create_all()
    from app.models import Course, Module, ModuleText, Role, User
    course = Course(slug="c", title={"en": "C"}, summary={"en": ""}, level="school", hours=1.0)
    db.session.add(course)
    db.session.flush()
    module = Module(course_id=course.id, slug="m", position=1)
    db.session.add(module)
    db.session.flush()
    db.session.add(ModuleText(module_id=module.id, lang="en", title="Stored page", body_html="<p>Stored HTML</p>",
                              source_markdown="", source_hash="x", quiz=None))
    user = User(email="s@example.org", name="S", password_hash="x", role=Role.STUDENT)
    db.session.add(user)
    db.session.commit()
    session_id = f"{user.id}:{user.session_version}"
client = app.test_client()
for path in ("/", "/auth/login"):
    client.get(path)
with client.session_transaction() as session:
    session["_user_id"] = session_id
    session["_fresh"] = True
for path in ("/courses/c/m", "/courses/c/m", "/courses/c", "/courses", "/dashboard"):
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
assert "Stored HTML" in client.get("/courses/c/m").get_data(as_text=True)
heavy = ("markdown", "pygments", "pymdownx", "nh3", "alembic", "mako", "app.content.render", "app.content.loader",
         "app.services.course_sync")
print(sorted(name for name in sys.modules if name.split(".")[0] in heavy or name in heavy))
'''
