"""Admin: the LMS platforms that may launch Ondo over LTI 1.3, the values their admins paste, key rotation."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import ActionForm, LtiPlatformForm
from app.models import Role
from app.security import roles_required
from app.services import lti


def _tool_values() -> dict[str, str]:
    """What an LMS admin pastes into the LMS when adding Ondo as an external tool."""
    return {
        "login": url_for("lti.login", _external=True),
        "launch": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
        "deep_linking": url_for("lti.launch", _external=True),
    }


@bp.route("/lti")
@roles_required(Role.ADMIN)
def lti_platforms():
    return render_template("admin/lti_platforms.html", platforms=lti.platforms(), values=_tool_values(),
                           action_form=ActionForm(),
                           jwks=lti.public_jwks(current_app.config["SECRET_KEY"]))


@bp.route("/lti/new", methods=["GET", "POST"])
@bp.route("/lti/<int:platform_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def lti_platform(platform_id: int | None = None):
    record = None
    if platform_id is not None:
        record = lti.platform(platform_id) or abort(404)
    form = LtiPlatformForm(obj=None)
    if record is not None and not form.is_submitted():
        form.process(data={**{k: getattr(record, k) for k in ("name", "issuer", "client_id", "auth_login_url",
                                                              "auth_token_url", "key_set_url")},
                           "deployment_ids": "\n".join(record.deployment_ids),
                           "frame_origins": "\n".join(record.frame_origins or [])})
    if form.validate_on_submit():
        fields = lti.PlatformFields(name=form.name.data.strip(), issuer=form.issuer.data.strip(),
                                    client_id=form.client_id.data.strip(), deployment_ids=form.deployment_list(),
                                    auth_login_url=form.auth_login_url.data.strip(),
                                    auth_token_url=form.auth_token_url.data.strip(),
                                    key_set_url=form.key_set_url.data.strip(),
                                    frame_origins=form.frame_origin_list())
        try:
            lti.save_platform(fields, current_user, record)
        except ValueError:
            form.client_id.errors.append(_("This issuer and client ID are already registered."))
        else:
            flash(_("Platform %(name)s saved.", name=fields.name), "success")
            return redirect(url_for("admin.lti_platforms"))
    return render_template("admin/lti_platform.html", form=form, record=record, values=_tool_values())


@bp.route("/lti/rotate-key", methods=["POST"])
@roles_required(Role.ADMIN)
def lti_rotate_key():
    form = ActionForm()
    if form.validate_on_submit():
        lti.rotate_key(current_app.config["SECRET_KEY"], current_user)
        flash(_("A new signing key is in use. The old one stays published for a week."), "success")
    return redirect(url_for("admin.lti_platforms"))
