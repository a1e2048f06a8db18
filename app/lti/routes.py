"""LTI 1.3 endpoints the LMS calls: OIDC login initiation, the launch, and Ondo's public keys."""
from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import jwt
from flask import abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from pylti1p3.contrib.flask import FlaskMessageLaunch, FlaskOIDCLogin, FlaskRequest
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException, LtiMessageValidationException, OIDCException
from pylti1p3.lineitem import LineItem

from app.extensions import csrf, limiter
from app.forms import OndoForm
from app.i18n import current_language
from app.lti import bp
from app.lti.cookies import FRAMED, in_frame
from app.security import CSP
from app.services import assignments, lti

log = logging.getLogger(__name__)
CSP_WITH_FORM_ACTION = CSP.replace("form-action 'self'", "form-action 'self' {origin}")

# Why a launch was refused, in words for the person who clicked (the detail goes to the log).
REFUSALS = {
    "audience": _l("The launch was meant for another tool (its audience is not Ondo's client id)."),
    "azp": _l("The launch names another party as its authorised client."),
    "times": _l("The launch has no valid issue or expiry time."),
    "expired": _l("The launch has expired. Go back to your course and open the activity again."),
    "issued_in_future": _l("The launch claims to come from the future: the LMS clock may be wrong."),
    "anonymous": _l("The LMS did not say who you are (anonymous launches are not supported)."),
    "deactivated": _l("Your Ondo account is deactivated. Ask an administrator to reactivate it."),
    "not_resource_link": _l("Only resource-link launches can be opened here."),
    "invalid": _l("The launch could not be verified."),
    "deep_link_needs_instructor": _l("Only instructors can choose Ondo modules for an LMS course."),
    "window_expired": _l("This link to continue the launch has expired or was used already."),
}


class OndoMessageLaunch(FlaskMessageLaunch):
    """pylti1p3's launch, with one more way to check the OIDC state when the browser refused the state cookie (a
    launch in an LMS frame whose browser blocks cookies there): the state must be one our login initiation issued
    and not used before (it is used up now), and the id_token must be posted from a page of the LMS that claims to
    have sent it (its Origin header among the registration's web addresses), so a page elsewhere cannot post a
    token obtained by someone else into a victim's browser. The signature, nonce and every other check still run."""

    def validate_state(self):
        try:
            return super().validate_state()
        except LtiMessageValidationException:
            state = self._get_request_param("state") or ""
            origin = request.headers.get("Origin", "")
            try:
                issuer = jwt.decode(self._get_id_token(), options={"verify_signature": False}).get("iss", "")
            except jwt.InvalidTokenError:
                raise LtiMessageValidationException("State not found") from None
            if not isinstance(issuer, str) or origin not in lti.platform_origins(issuer) \
                    or not lti.use_login_state(state):
                raise
            log.info("LTI launch: state checked without its cookie (posted from %s)", origin)
            return self


def _tool_conf() -> lti.OndoToolConf:
    return lti.OndoToolConf(current_app.config["SECRET_KEY"])


def _refuse(reason: str, detail: str = ""):
    log.warning("LTI launch refused: %s %s", reason, detail)
    return render_template("lti/refused.html", message=REFUSALS.get(reason, REFUSALS["invalid"])), 400


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # the LMS starts the OIDC flow; the state and nonce made here protect the launch
@limiter.limit("120 per minute")
def login():
    """OIDC third-party login initiation: answer with a redirect to the platform's authorisation endpoint."""
    launch_url = request.values.get("target_link_uri") or ""
    own = url_for("lti.launch", _external=True)
    try:
        oidc = FlaskOIDCLogin(FlaskRequest(), _tool_conf(), launch_data_storage=lti.DatabaseLaunchStorage())
        # The id_token always comes back to our launch endpoint; the target link is kept for after the checks.
        return oidc.disable_check_cookies().pass_params_to_launch({"target_link_uri": launch_url}).redirect(own)
    except (LtiException, OIDCException) as error:
        return _refuse("invalid", f"login: {error}")


@bp.route("/launch", methods=["POST"])
@csrf.exempt  # a form post from the LMS, signed by the platform: the id_token checks replace the CSRF token
@limiter.limit("120 per minute")
def launch():
    message = OndoMessageLaunch(FlaskRequest(), _tool_conf(), launch_data_storage=lti.DatabaseLaunchStorage())
    message.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})
    try:
        body = message.get_launch_data()
        lti.check_claims(body, message.get_client_id(), time.time())
    except lti.LaunchRefused as refused:
        return _refuse(refused.reason)
    except LtiException as error:
        return _refuse("invalid", str(error))
    deep_link = message.is_deep_link_launch()
    if not deep_link and not message.is_resource_launch():
        return _refuse("not_resource_link", str(body.get(lti.CLAIM + "message_type")))
    try:
        outcome = lti.complete_launch(body, request.host)
    except lti.LaunchRefused as refused:
        return _refuse(refused.reason)
    if deep_link and not outcome.user.is_teacher:
        return _refuse("deep_link_needs_instructor")
    login_user(outcome.user)
    log.info("LTI launch: user %s class %s deep link %s", outcome.user.id, outcome.class_id, deep_link)
    if deep_link:
        destination = url_for("lti.deep_link", launch_id=message.get_launch_id())
    elif outcome.target_path:
        destination = outcome.target_path
    elif outcome.class_id and outcome.user.is_teacher:
        destination = url_for("teach.class_page", class_id=outcome.class_id)
    else:
        destination = url_for("learn.dashboard")
    if not in_frame():
        return redirect(destination, 303)
    # Inside the LMS's frame the browser may refuse our cookie; the next page checks whether it came back.
    session[FRAMED] = True
    return redirect(url_for("lti.start", ticket=lti.new_window_ticket(outcome.user, destination)), 303)


@bp.route("/start/<ticket>")
@limiter.limit("60 per minute")
def start(ticket: str):
    """The first page after a launch in a frame. With the session cookie back, it goes on to the activity; without
    it (the browser blocks cookies in frames), it offers the activity in a new window, where the single-use ticket
    signs the person in."""
    waiting = lti.peek_window_ticket(ticket)
    if waiting is None:
        return _refuse("window_expired", "start: unknown, used or expired ticket")
    if current_user.is_authenticated and current_user.id == waiting["user_id"]:
        lti.use_window_ticket(ticket)
        return redirect(waiting["path"], 303)
    if in_frame() and not request.args.get("window"):
        page = current_app.make_response(render_template(
            "lti/new_window.html", url=url_for("lti.start", ticket=ticket, window=1)))
        page.headers["Cache-Control"] = "no-store"  # it holds the ticket
        return page
    used = lti.use_window_ticket(ticket)
    if used is None:
        return _refuse("window_expired", "start: ticket used meanwhile or account changed")
    user, path = used
    login_user(user)
    log.info("LTI launch continued in a new window: user %s", user.id)
    return redirect(path, 303)


@bp.route("/jwks.json")
def jwks():
    """Ondo's public keys, for platforms verifying what Ondo signs (current key and recently retired ones)."""
    response = jsonify(lti.public_jwks(current_app.config["SECRET_KEY"]))
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response



def _stored_launch(launch_id: str) -> FlaskMessageLaunch:
    message = FlaskMessageLaunch.from_cache(launch_id, FlaskRequest(), _tool_conf(),
                                            launch_data_storage=lti.DatabaseLaunchStorage())
    if not message.is_deep_link_launch() or not lti.launch_belongs_to(message.get_launch_data(), current_user):
        abort(404)
    return message


@bp.route("/deep-link/<launch_id>", methods=["GET", "POST"])
@login_required
def deep_link(launch_id: str):
    """Deep Linking 2.0: the instructor picks modules; they go back to the LMS as resource links, with a line item
    for each module that has a quiz, so its scores can come back to the LMS gradebook."""
    try:
        message = _stored_launch(launch_id)
    except LtiException:
        abort(404)
    form = OndoForm()
    lang = current_language()
    if form.validate_on_submit():
        chosen = [int(value) for value in request.form.getlist("module") if value.isdigit()]
        items = lti.linked_items(chosen, lang)
        resources = []
        for item in items:
            resource = DeepLinkResource().set_title(item.title).set_url(url_for("learn.home", _external=True)
                                                                         .rstrip("/") + item.path)
            if item.has_quiz:
                resource.set_lineitem(LineItem().set_label(item.title).set_score_maximum(100)
                                      .set_resource_id(item.resource_id))
            resources.append(resource)
        link = message.get_deep_link()
        return_url = message.get_launch_data()[lti.DEEP_LINKING_SETTINGS]["deep_link_return_url"]
        response = current_app.make_response(render_template(
            "lti/deep_link_return.html", return_url=return_url, jwt=link.get_response_jwt(resources), items=items))
        # This one page posts to the LMS, so its form-action names the LMS as well as ourselves.
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(return_url))
        response.headers["Content-Security-Policy"] = CSP_WITH_FORM_ACTION.format(origin=origin)
        return response
    return render_template("lti/deep_link.html", form=form, courses=assignments.assignable_items(lang), lang=lang)
