"""Admin blueprint: the dashboard and the audit log; users and authoring have their own modules."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from app.admin import authoring, bp, lti_platforms, users  # noqa: F401  (their routes register on import)
from app.admin.audit_text import audit_sentence
from app.admin.forms import AuditFilterForm
from app.models import Role
from app.security import roles_required
from app.services import audit

ACTION_LABELS = {
    "user.create": _l("Account created"), "user.role": _l("Role changed"), "user.deactivate": _l("Deactivated"),
    "user.reactivate": _l("Reactivated"), "user.reset_link": _l("Reset link sent"),
    "course.create": _l("Course created"), "course.update": _l("Course card changed"),
    "course.show": _l("Course shown"), "course.hide": _l("Course hidden"), "course.import": _l("Course imported"),
    "course.export": _l("Course exported"), "module.create": _l("Module created"),
    "module.draft": _l("Draft saved"), "module.publish": _l("Published"), "module.rollback": _l("Rolled back"),
    "module.reorder": _l("Module moved"), "module.archive": _l("Module archived"),
    "module.restore": _l("Module restored"), "upload.create": _l("Image uploaded"),
    "lti.platform": _l("LMS platform registered or changed"), "lti.rotate_key": _l("LTI signing key rotated"),
}


@bp.app_context_processor
def audit_labels():
    return {"action_labels": ACTION_LABELS, "audit_sentence": audit_sentence}


@bp.route("/")
@roles_required(Role.ADMIN)
def dashboard():
    return render_template("admin/dashboard.html")


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_log():
    form = AuditFilterForm(request.args)
    form.actor.choices = [("", _l("Anyone"))] + [(str(actor_id), name) for actor_id, name in audit.actors()]
    form.action.choices = [("", _l("Any action"))] + [(action, ACTION_LABELS[action]) for action in audit.ACTIONS]
    form.validate()
    filters = audit.AuditFilter(
        actor_id=int(form.actor.data) if (form.actor.data or "").isdigit() else None,
        action=form.action.data if form.action.data in audit.ACTIONS else None,
        since=form.since.data if not form.since.errors else None,
        until=form.until.data if not form.until.errors else None,
    )
    page = audit.entries(filters, max(request.args.get("page", 1, type=int), 1))
    arguments = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("admin/audit.html", form=form, page=page, arguments=arguments)
