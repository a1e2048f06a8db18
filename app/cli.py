"""Flask commands: accounts now; courses and quizzes join as those parts land."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, g
from flask.cli import AppGroup, with_appcontext

from app.projections.levers import all_levers


class MigrationCommands(click.Group):
    """Stands in for Flask-Migrate's `flask db` group and loads it (with Alembic) only when a `db` command runs."""

    app: Flask

    def _group(self) -> click.Group:
        from flask_migrate.cli import db as migrations

        from app import init_migrations

        init_migrations(self.app)
        return migrations

    def list_commands(self, ctx):
        return self._group().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._group().get_command(ctx, name)


def migration_commands(app: Flask) -> click.Group:
    # The same options as flask_migrate.cli.db, which its subcommands read from g.
    @click.group("db", cls=MigrationCommands, help="Perform database migrations (Flask-Migrate).")
    @click.option("-d", "--directory", default=None, help="Migration script directory (default is 'migrations')")
    @click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts")
    @with_appcontext
    def db_group(directory, x_arg):
        g.directory = directory
        g.x_arg = x_arg

    db_group.app = app
    return db_group


def register(app: Flask) -> None:
    register_content_commands(app)
    register_lti_commands(app)
    if "db" not in app.cli.commands:
        app.cli.add_command(migration_commands(app))

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator", help="Display name.")
    @click.option("--password", default=None, help="Initial password (default: a random one, printed once).")
    def create_admin(email: str, name: str, password: str | None) -> None:
        """Create an admin account, or promote an existing account to admin."""
        from app.services import accounts
        from app.services.passwords import PasswordPolicyError

        password = password or secrets.token_urlsafe(12)
        try:
            created = accounts.create_or_promote_admin(email, name, password)
        except PasswordPolicyError as error:
            raise click.ClickException(f"password refused: {error.code}") from None
        click.echo(f"Admin {email} created. Password: {password}" if created else f"{email} is now an admin.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo accounts and class (idempotent: existing ones are left as they are)."""
        from app.services import demo

        for account in demo.seed_accounts():
            state = "created" if account.created else "exists"
            click.echo(f"{account.role.value:8} {account.email:24} {account.password:20} ({state})")
        school_class = demo.seed_class()
        if school_class is not None:
            click.echo(f"demo class {school_class.name!r} with join code {school_class.join_code}")


def register_content_commands(app: Flask) -> None:
    # AppGroup gives every subcommand an app context, also when invoked through app.cli in tests.
    courses = AppGroup("courses", help="Check and load the course files.")
    quiz = AppGroup("quiz", help="Quiz tools.")
    scenarios_group = AppGroup("scenarios", help="The scenario explorer's stored FaIR results.")

    @courses.command("lint")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def lint(path: Path | None) -> None:
        """Check a course folder (or all of courses/); prints path:line: message, exit 1 on any error."""
        from app.content import lint_course_tree

        problems = lint_course_tree(path or Path(app.config["COURSES_PATH"]))
        for problem in problems:
            click.echo(str(problem), err=problem.is_error)
        errors = sum(p.is_error for p in problems)
        click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)")
        if errors:
            raise SystemExit(1)

    @courses.command("sync")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @click.option("--force", is_flag=True,
                  help="Overwrite module texts edited in the browser (their browser version is kept in the history).")
    def sync(path: Path | None, force: bool) -> None:
        """Load the course files into the database in one transaction (nothing changes on any error)."""
        from app.content import CourseFormatError
        from app.services.course_sync import sync_courses

        try:
            report = sync_courses(path or Path(app.config["COURSES_PATH"]), force=force)
        except CourseFormatError as error:
            for problem in error.problems:
                click.echo(str(problem), err=True)
            click.echo("sync refused: the database is unchanged", err=True)
            raise SystemExit(1) from None
        for warning in report.warnings:
            click.echo(str(warning))
        for conflict in report.conflicts:
            click.echo(f"conflict: {conflict}", err=True)
        if report.conflicts:
            click.echo("export the course from the admin pages into the files, or run with --force", err=True)
        click.echo(report.summary())
        if app.config["SCENARIOS_COMPUTE_ON_SYNC"]:
            _compute_scenarios(Path(path or app.config["COURSES_PATH"]))

    def _compute_scenarios(courses_root: Path) -> None:
        from app.content.loader import DATA_FOLDER
        from app.projections.model import EMISSIONS_NAME
        from app.services import scenarios

        emissions = courses_root / DATA_FOLDER / f"{EMISSIONS_NAME}.csv"
        if not emissions.is_file():
            click.echo(f"scenario explorer: {emissions} is missing, so no results were computed", err=True)
            raise SystemExit(1)
        todo = len(scenarios.missing(all_levers()))
        click.echo(f"scenario explorer: {todo} lever setting(s) to compute with FaIR")
        done = scenarios.compute(emissions, progress=lambda n, total: click.echo(f"  {n}/{total}"))
        click.echo(f"scenario explorer: {done} result(s) stored ({scenarios.MODEL_VERSION})")

    @scenarios_group.command("compute")
    @click.argument("path", required=False, type=click.Path(path_type=Path))
    def compute_scenarios(path: Path | None) -> None:
        """Run FaIR for every lever setting of the scenario explorer that has no stored result yet."""
        _compute_scenarios(path or Path(app.config["COURSES_PATH"]))

    @quiz.command("import-gift")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--into", "into", type=click.Path(dir_okay=False, path_type=Path),
                  help="Append the quiz to this module file (adds the <!-- quiz --> marker if missing).")
    def import_gift(file: Path, into: Path | None) -> None:
        """Convert a Moodle GIFT file into Ondo's quiz syntax; reports every question it cannot convert."""
        from app.quizzes.gift import gift_to_markdown

        conversion = gift_to_markdown(file.read_text(encoding="utf-8-sig"))
        if into is None:
            click.echo(conversion.markdown)
        else:
            from app.quizzes.gift import append_to_module

            existing = into.read_text(encoding="utf-8") if into.exists() else ""
            into.write_text(append_to_module(existing, conversion.markdown), encoding="utf-8")
            click.echo(f"quiz written into {into}")
        for line in conversion.report():  # every question left out, and every one changed on the way
            click.echo(f"{file}: {line}", err=True)
        if conversion.skipped:
            raise SystemExit(1)

    mail = AppGroup("mail", help="The development outbox (MAIL_BACKEND=outbox).")

    @mail.command("last")
    @click.option("--to", "to", help="Only messages sent to this address.")
    def mail_last(to: str | None) -> None:
        """Print the newest message of the outbox, decoded (links whole), with its file name."""
        from app.mail import outbox_messages, read_outbox_message

        outbox = Path(app.config["MAIL_OUTBOX_PATH"])
        paths = outbox_messages(outbox, to)
        if not paths:
            click.echo(f"no message{f' to {to}' if to else ''} in {outbox}", err=True)
            raise SystemExit(1)
        click.echo(f"# {paths[-1]}")
        click.echo(read_outbox_message(paths[-1]), nl=False)

    app.cli.add_command(courses)
    app.cli.add_command(quiz)
    app.cli.add_command(mail)
    app.cli.add_command(scenarios_group)


def register_lti_commands(app: Flask) -> None:
    lti_group = AppGroup("lti", help="LTI 1.3: scores to LMS gradebooks.")

    @lti_group.command("push-scores")
    @click.option("--limit", default=500, show_default=True, help="Most scores sent in one run.")
    def push_scores(limit: int) -> None:
        """Send queued quiz scores to LMS gradebooks; failures wait and are retried (run it from a timer). Also
        deletes expired launch values (OIDC states, nonces, new-window tickets)."""
        from app.services import lti, lti_scores

        report = lti_scores.push_scores(app.config["SECRET_KEY"], limit=limit)
        purged = lti.DatabaseLaunchStorage.purge_expired()
        click.echo(f"sent {report.sent}, failed {report.failed}, waiting {report.waiting}; "
                   f"{purged} expired launch values deleted")
        if report.failed:
            raise SystemExit(1)

    app.cli.add_command(lti_group)
