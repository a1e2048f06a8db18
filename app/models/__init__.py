"""Models, one module per aggregate; imported here so Alembic and the app see every table."""
from app.models.base import Base
from app.models.user import Role, User

__all__ = ["Base", "Role", "User"]
