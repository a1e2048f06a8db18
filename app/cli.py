"""Flask commands: accounts now; courses and quizzes join as those parts land."""
from __future__ import annotations

import secrets

import click
from flask import Flask

from app.extensions import db
from app.models import Role

DEMO_ACCOUNTS = (
    # (email, name, role, password) — demo only, also listed in the README.
    ("admin@ondo.example", "Demo Admin", Role.ADMIN, "ondo-admin-demo"),
    ("teacher@ondo.example", "Demo Teacher", Role.TEACHER, "ondo-teacher-demo"),
    ("minji@ondo.example", "김민지 Minji Kim", Role.STUDENT, "ondo-student-demo"),
    ("joon@ondo.example", "이준 Joon Lee", Role.STUDENT, "ondo-student-demo"),
)


def register(app: Flask) -> None:
    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator", help="Display name.")
    @click.option("--password", default=None, help="Initial password (default: a random one, printed once).")
    def create_admin(email: str, name: str, password: str | None) -> None:
        """Create an admin account, or promote an existing account to admin."""
        from app.services import accounts
        from app.services.passwords import PasswordPolicyError

        user = accounts.find_by_login(email)
        if user is not None:
            user.role = Role.ADMIN
            db.session.commit()
            click.echo(f"{email} is now an admin.")
            return
        password = password or secrets.token_urlsafe(12)
        try:
            accounts.create_user(email, name, password, Role.ADMIN)
        except PasswordPolicyError as error:
            raise click.ClickException(f"password refused: {error.code}") from None
        db.session.commit()
        click.echo(f"Admin {email} created. Password: {password}")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo accounts (idempotent: existing ones are left as they are)."""
        from app.services import accounts

        for email, name, role, password in DEMO_ACCOUNTS:
            if accounts.find_by_login(email) is None:
                accounts.create_user(email, name, password, role)
                state = "created"
            else:
                state = "exists"
            click.echo(f"{role.value:8} {email:24} {password:20} ({state})")
        db.session.commit()
