from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import MultiDict

from app.downloads import csv_download
from app.extensions import csrf
from app.forms import OndoForm
from app.i18n import answer_label, current_language
from app.learn import bp
from app.learn.forms import JoinClassForm, LanguageForm
from app.learn.principles import LEVEL_NAMES, PRINCIPLE_NAMES
from app.models import AttemptStatus, Role
from app.quizzes import (
    Quiz,
    answer_pairs,
    answered_count,
    form_problems,
    make_quiz_form,
    responses_from_form,
)
from app.security import roles_required, safe_next
from app.services import accounts, assessment, attempts, classes, gradebook, learning, pending_answers
from app.services.course_cache import split_body
from app.web import inline_checks as checks
from app.web import scenario_explorers as scenarios
from app.web.messages import CLASS_ERRORS, quiz_labels


@bp.app_context_processor
def principle_names():
    return {"principle_names": PRINCIPLE_NAMES, "level_names": LEVEL_NAMES}


@bp.route("/")
def home():
    return render_template("learn/home.html")


@bp.route("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on every fresh page; a day of caching keeps that off the network.
    response = current_app.response_class((Path(current_app.static_folder) / "favicon.ico").read_bytes(),
                                          mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 24 * 3600
    return response


@bp.route("/dashboard")
@roles_required(Role.STUDENT)
def dashboard():
    data = learning.student_dashboard(current_user.id, current_language())
    work = gradebook.work_for_student(current_user.id, current_language())
    return render_template("learn/dashboard.html", data=data, work=work, join_form=JoinClassForm())


@bp.route("/join", methods=["POST"])
@roles_required(Role.STUDENT)
def join_class():
    form = JoinClassForm()
    if form.validate_on_submit():
        try:
            school_class = classes.join_with_code(current_user, form.code.data)
        except classes.ClassError as error:
            flash(CLASS_ERRORS[error.code], "error")
        else:
            flash(_("You joined %(name)s.", name=school_class.name), "success")
    else:
        flash(_("Type the class code your teacher gave you."), "error")
    return redirect(url_for("learn.dashboard"))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    language = request.form.get("language")
    target = safe_next(url_for("learn.home"))
    response = redirect(target)
    if form.validate_on_submit() and language in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            accounts.set_language(current_user, language)
        response.set_cookie(current_app.config["LANGUAGE_COOKIE_NAME"], language, max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/courses")
@login_required
def catalogue():
    cards = learning.catalogue(current_user.id, current_language())
    return render_template("learn/catalogue.html", cards=cards)


def _course_or_404(course_slug: str):
    return learning.get_course(course_slug) or abort(404)


@bp.route("/courses/<course_slug>")
@login_required
def course(course_slug: str):
    found = learning.read_course(course_slug, current_user.id, current_language()) or abort(404)
    course, outline = found
    return render_template("learn/course.html", course=course, outline=outline, lang=current_language(),
                           prerequisites=learning.course_prerequisites(outline),
                           progress=learning.outline_progress(outline))


def _module_or_404(course, module_slug: str):
    module, renamed = learning.find_module(course, module_slug)
    if module is None:
        abort(404)
    return module, renamed


@bp.route("/courses/<course_slug>/<module_slug>")
@login_required
def module(course_slug: str, module_slug: str):
    lang = request.args.get("lang") if request.args.get("lang") in current_app.config["LANGUAGES"] else None
    page = learning.read_module(course_slug, module_slug, current_user.id, lang or current_language()) or abort(404)
    if isinstance(page, learning.RenamedModule):
        return redirect(url_for("learn.module", course_slug=page.course.slug, module_slug=page.module.slug,
                                lang=lang), 301)
    quiz = page.text.quiz_summary
    quiz_info = None if quiz is None else {"questions": quiz.questions, "pass_mark": quiz.pass_mark,
                                           "left": page.attempts_left}
    # Scenario explorers depend on the levers in the address, so a body with one is filled in per request; the
    # others use the cached pieces as they are.
    body_html = scenarios.fill_scenarios(page.text.body_html, request.args, lang=lang,
                                         base_url=url_for("learn.module", course_slug=page.course.slug,
                                                          module_slug=page.module.slug))
    has_scenarios = body_html != page.text.body_html
    check_action = url_for("learn.module", course_slug=page.course.slug, module_slug=page.module.slug) + "/checks/"
    if has_scenarios or checks.has_result_for(page.module.id):
        body = None  # rendered in the template for this reader
        built = checks.build_checks(page.text.checks, page.module.id, quiz_labels())
    else:
        body = checks.rendered_body(page.text, page.module.id, check_action, current_language(), quiz_labels)
        built = {}
    return render_template("learn/module.html", page=page, quiz_info=quiz_info, wanted_lang=lang or current_language(),
                           body_parts=split_body(body_html) if has_scenarios else page.text.parts,
                           has_scenarios=has_scenarios, rendered_body=body, checks=built, check_action=check_action)


@bp.route("/courses/<course_slug>/<module_slug>/checks/<int:number>", methods=["POST"])
@login_required
def inline_check(course_slug: str, module_slug: str, number: int):
    course = _course_or_404(course_slug)
    module, _renamed = _module_or_404(course, module_slug)
    text = learning.module_text(module.id, request.form.get("lang") or current_language())
    if text is None or not checks.grade_check(text.checks, number, module.id, quiz_labels()):
        abort(404)
    target = url_for("learn.module", course_slug=course.slug, module_slug=module.slug, lang=text.lang)
    return redirect(f"{target}#c-check-{number + 1}", 303)


@bp.route("/courses/<course_slug>/assets/<path:filename>")
@login_required
def course_asset(course_slug: str, filename: str):
    folder = Path(current_app.config["COURSES_PATH"]) / course_slug / "assets"
    # URLs carry ?v=<content hash>, so a year of caching is safe; a changed file gets a new URL.
    response = send_from_directory(folder, filename, max_age=31536000 if request.args.get("v") else 3600)
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.route("/courses/<course_slug>/<module_slug>/complete", methods=["POST"])
@login_required
def complete(course_slug: str, module_slug: str):
    course = _course_or_404(course_slug)
    module, _renamed = _module_or_404(course, module_slug)
    try:
        learning.mark_complete(current_user.id, module.id)
    except learning.CompletionRefused:
        flash(_("This module is completed by passing its quiz."), "info")
    else:
        flash(_("Module marked as complete."), "success")
    return redirect(url_for("learn.module", course_slug=course.slug, module_slug=module.slug))


@bp.route("/courses/<course_slug>/<module_slug>/quiz", methods=["POST"])
@login_required
def start_quiz(course_slug: str, module_slug: str):
    course = _course_or_404(course_slug)
    module, _renamed = _module_or_404(course, module_slug)
    try:
        attempt = attempts.start_or_resume(current_user.id, module, request.form.get("lang") or current_language())
    except attempts.NoQuiz:
        abort(404)
    except attempts.AttemptsExhausted:
        flash(_("You have used all the attempts this quiz allows."), "warning")
        return redirect(url_for("learn.module", course_slug=course.slug, module_slug=module.slug))
    except assessment.SittingDone:
        flash(_("You have already sent this check. Your teacher will tell you when to take it again."), "info")
        return redirect(url_for("learn.module", course_slug=course.slug, module_slug=module.slug))
    return redirect(url_for("learn.attempt", public_id=attempt.public_id))


def _wants_json() -> bool:
    """The quiz page's script saves with fetch and asks for JSON; a plain form post gets a page."""
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "application/json"


def _answered_text(quiz: Quiz, form) -> str:
    return _("Answered %(n)d of %(total)d", n=answered_count(quiz, form), total=len(quiz.questions))


@bp.route("/attempts/<public_id>", methods=["GET", "POST"])
@csrf.exempt  # checked below once we know the student is still logged in, so expired sessions keep answers
def attempt(public_id: str):
    if not current_user.is_authenticated:
        if request.method == "POST":
            # The session ended while the student worked: keep the answers server-side and send them to log in;
            # the link back carries the key. Nothing here touches the session, so a cross-site form posting here
            # (SameSite=Lax sends no cookie with it) cannot replace a logged-in student's session cookie.
            key = pending_answers.keep(public_id, request.form, current_app.config["PENDING_ANSWERS_MAX_AGE"])
            back = url_for("learn.attempt", public_id=public_id, kept=key)
            if _wants_json():  # the page's autosave: it tells the student to log in again
                return jsonify(saved=False, reason="login"), 401
            return redirect(url_for("auth.login", next=back, kept=1 if key else None), 303)
        return current_app.login_manager.unauthorized()
    if request.method == "POST" and current_app.config["WTF_CSRF_ENABLED"]:
        try:
            csrf.protect()
        except CSRFError:
            # Logged in again in another tab after the session ended: a new session, so this page's token is stale.
            # Keep the student's own answers and show them back to be checked and sent; nothing is submitted.
            key = None
            origin = request.headers.get("Origin")
            same_site = origin is None or origin == request.host_url.rstrip("/")
            # Only for a post from our own page: another site (an LMS frame keeps a SameSite=None cookie) must not
            # plant answers for the student to send.
            if same_site and attempts.attempt_of(current_user.id, public_id) is not None:
                key = pending_answers.keep(public_id, request.form, current_app.config["PENDING_ANSWERS_MAX_AGE"])
            if key is None:
                raise
            return redirect(url_for("learn.attempt", public_id=public_id, kept=key), 303)
    attempt = attempts.attempt_of(current_user.id, public_id) or abort(404)
    module, course = learning.module_and_course(attempt.module_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        if request.method == "POST":  # the same form sent again (double click, a second tab)
            if _wants_json():
                return jsonify(saved=False, reason="submitted")
            flash(_("This attempt was already sent; here is its result."), "info")
            return redirect(url_for("learn.attempt", public_id=public_id), 303)
        review = attempts.review(attempt)
        return render_template("learn/result.html", review=review, module=module, course=course,
                               title=learning.module_title(module.id, attempt.lang))
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    form_class = make_quiz_form(quiz, base=OndoForm, question_order=attempt.question_order,
                                choice_orders=attempt.choice_orders, labels=quiz_labels())
    kept = pending_answers.take(attempt.id, request.args.get("kept")) if request.method == "GET" else None
    if kept is not None:
        form = form_class(formdata=kept)
        flash(_("Your answers were kept. Check them and send the quiz."), "info")
    elif request.method == "GET" and (saved := attempts.saved_answers(attempt)):
        form = form_class(formdata=MultiDict(saved))  # resume: this tab, another tab or another device
    else:
        form = form_class()
    problems = []
    if request.method == "POST":
        saving = request.form.get("action") == "save"
        try:
            saved = attempts.save_answers(attempt, answer_pairs(form, request.form))
        except attempts.AnswersTooLarge:
            saved = None  # an answer longer than any field takes: not kept; the form's errors below name it
        if saving and saved is not None:
            if _wants_json():
                return jsonify(saved=saved, answered=answered_count(quiz, form), total=len(quiz.questions),
                               answered_text=_answered_text(quiz, form))
            flash(_("Your answers are saved. You can come back to them here, in another tab or on another device."),
                  "success")
            return redirect(url_for("learn.attempt", public_id=public_id), 303)
        if saving and _wants_json():
            return jsonify(saved=False, reason="too_long"), 422
        if form.validate() and not saving:
            submitted = attempts.submit(attempt, responses_from_form(quiz, form), quiz)
            if not submitted:
                flash(_("This attempt was already sent; here is its result."), "info")
            return redirect(url_for("learn.attempt", public_id=public_id), 303)
        problems = form_problems(form)
    return render_template("learn/attempt.html", attempt=attempt, form=form, quiz=quiz, module=module, course=course,
                           title=learning.module_title(module.id, attempt.lang), problems=problems,
                           answered_text=_answered_text(quiz, form))


@bp.route("/my/progress.csv")
@login_required
def progress_csv():
    rows = [[_("Course"), _("Module"), _("First visit"), _("Last visit"), _("Completed"), _("Best score (%)"),
             _("Attempts")]]
    progress_rows = learning.progress_rows(current_user.id, current_language())
    # A quiz whose review options keep the score from students (a diagnostic) keeps it out of the CSV too.
    hidden = learning.score_hidden_modules([module.id for _c, module, _t, _p in progress_rows])
    for course, module, text, progress in progress_rows:
        best = "" if progress.best_percent is None or module.id in hidden else round(progress.best_percent, 1)
        rows.append([course.in_language("title", current_language()), text.title if text else module.slug,
                     _iso(progress.first_visit_at), _iso(progress.last_visit_at), _iso(progress.completed_at),
                     best, progress.attempts])
    return csv_download(rows, "ondo-progress.csv")


@bp.route("/my/attempts.csv")
@login_required
def attempts_csv():
    rows = [[_("Module"), _("Attempt"), _("Submitted"), _("Score"), _("Out of"), _("Percent"), _("Passed"),
             _("Question"), _("Your answer"), _("Points")]]
    for attempt, title, answer, question_title, shown in learning.attempt_rows(current_user.id, current_language()):
        score = [attempt.score, attempt.max_score, round(attempt.percent or 0, 1)] if shown.score else ["", "", ""]
        pass_fail = shown.score and attempt.quiz_snapshot.get("settings", {}).get("pass_mark", 70) > 0
        passed = (_("yes") if attempt.passed else _("no")) if pass_fail else ""
        rows.append([title, attempt.number, _iso(attempt.submitted_at), *score, passed, question_title,
                     answer_label(answer.response_text, None) if answer.response_text else "",
                     answer.score if shown.points else ""])
    return csv_download(rows, "ondo-attempts.csv")


def _iso(value) -> str:
    return value.isoformat(timespec="minutes") if value else ""
