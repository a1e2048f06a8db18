"""Access to the admin pages added for authoring, users and the audit log: anonymous, student, teacher, admin.

Everything is admin-only except the course media route: uploaded images appear in modules that every signed-in
reader may open, so it is open to them like the course asset route.
"""
from __future__ import annotations

ADMIN_ONLY = {"anonymous": "login", "student": 403, "teacher": 403, "admin": 200}
ADMIN_ACTION = {**ADMIN_ONLY, "admin": "redirect"}
ADMIN_404 = {**ADMIN_ONLY, "admin": 404}
ADMIN_400 = {**ADMIN_ONLY, "admin": 400}  # an empty form comes back with its errors

MODULE = "/admin/courses/sample/modules/reading"

ADMIN_ACCESS: list[tuple[str, str, str, dict]] = [
    ("admin.user_detail", "GET", "/admin/users/999999", ADMIN_404),
    ("admin.set_active", "POST", "/admin/users/999999/active", ADMIN_404),
    ("admin.send_reset", "POST", "/admin/users/999999/reset", ADMIN_404),
    ("admin.audit_log", "GET", "/admin/audit", ADMIN_ONLY),
    ("admin.courses", "GET", "/admin/courses", ADMIN_ONLY),
    ("admin.new_course", "POST", "/admin/courses/new", ADMIN_400),
    ("admin.import_course", "POST", "/admin/courses/import", ADMIN_400),
    ("admin.course", "GET", "/admin/courses/sample", ADMIN_ONLY),
    ("admin.course_settings", "GET", "/admin/courses/sample/settings", ADMIN_ONLY),
    ("admin.course_visibility", "POST", "/admin/courses/sample/visibility", ADMIN_ACTION),
    ("admin.export_course", "GET", "/admin/courses/sample/export", ADMIN_ONLY),
    ("admin.course_uploads", "GET", "/admin/courses/sample/uploads", ADMIN_ONLY),
    ("admin.new_module", "POST", "/admin/courses/sample/modules/new", ADMIN_ACTION),
    ("admin.move_module", "POST", f"{MODULE}/move", ADMIN_ACTION),
    ("admin.archive_module", "POST", f"{MODULE}/archive", ADMIN_ACTION),
    ("admin.edit_module", "GET", f"{MODULE}/en", ADMIN_ONLY),
    ("admin.module_history", "GET", f"{MODULE}/ko/history", ADMIN_ONLY),
    ("admin.rollback", "POST", f"{MODULE}/en/rollback/999999", ADMIN_404),
    ("admin.rollback", "GET", f"{MODULE}/en/rollback/999999", ADMIN_404),
    ("admin.course_media", "GET", "/admin/media/sample/none.png",
     {"anonymous": "login", "student": 404, "teacher": 404, "admin": 404}),
]
