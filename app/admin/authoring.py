"""Admin: courses and modules edited in the browser, uploads, history, export and import."""
from __future__ import annotations

import importlib

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.admin import bp
from app.admin.forms import (
    LEVEL_LABELS,
    ActionForm,
    CourseForm,
    ImportForm,
    ModuleTextForm,
    NewCourseForm,
    NewModuleForm,
    UploadForm,
    parse_principles,
)
from app.content.sources import LANGUAGES
from app.models import Role
from app.security import roles_required
from app.services import uploads
from app.web import inline_checks, scenario_explorers
from app.web.messages import quiz_labels


class _ImportedOnUse:
    """A module imported on first attribute access: authoring and zip import need the Markdown renderer, and web
    workers that never open the editor should not carry it (python-markdown, pymdown-extensions, nh3)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)


authoring = _ImportedOnUse("app.services.authoring")
course_archive = _ImportedOnUse("app.services.course_archive")


def _authoring_message(code: str) -> str:
    return {
        "bad_slug": _("Use lowercase letters, digits and hyphens, like energy-balance."),
        "course_exists": _("A course with this address already exists."),
        "module_exists": _("This course already has (or had) a module with this slug."),
        "too_many_modules": _("A course can have at most 99 modules."),
        "no_revision": _("There is no such revision of this module."),
    }[code]


def _upload_message(code: str) -> str:
    return {
        "empty": _("The file is empty."),
        "too_large": _("The image is larger than %(limit)s. Make it smaller and upload it again.",
                       limit=f"{uploads.max_bytes() / 1048576:g} MB"),
        "svg": _("SVG images are not accepted: they can carry scripts. Export the drawing as PNG or WebP."),
        "unknown_type": _("This file is not a PNG, JPEG or WebP image (the content was checked, not the name)."),
        "bad_name": _("This file name cannot be used."),
    }[code]


def _course(course_slug: str):
    return authoring.get_course(course_slug) or abort(404)


def _course_module(course_slug: str, module_slug: str, lang: str | None = None):
    if lang is not None and lang not in LANGUAGES:
        abort(404)
    course = _course(course_slug)
    return course, authoring.get_module(course, module_slug) or abort(404)


# --- courses ----------------------------------------------------------------------------------------


@bp.route("/courses")
@roles_required(Role.ADMIN)
def courses():
    return render_template("admin/courses.html", rows=authoring.course_rows(), new_form=NewCourseForm(),
                           import_form=ImportForm(), problems=None)


@bp.route("/courses/new", methods=["POST"])
@roles_required(Role.ADMIN)
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = authoring.create_course(form.slug.data, {"en": form.title_en.data, "ko": form.title_ko.data},
                                             form.module_slug.data, current_user)
        except authoring.AuthoringError as error:
            form.slug.errors.append(_authoring_message(error.code))
        else:
            flash(_("Course created. It stays hidden from students until you show it."), "success")
            return redirect(url_for("admin.course", course_slug=course.slug))
    return render_template("admin/courses.html", rows=authoring.course_rows(), new_form=form,
                           import_form=ImportForm(), problems=None), 400


@bp.route("/courses/import", methods=["POST"])
@roles_required(Role.ADMIN)
def import_course():
    form = ImportForm()
    problems = None
    if form.validate_on_submit():
        try:
            report = course_archive.import_course(form.archive.data.read(), current_user)
        except course_archive.ImportRefused as refused:
            problems = refused.problems
        else:
            flash(_("Course imported: %(published)d text(s) published, %(unchanged)d unchanged, "
                    "%(archived)d module(s) archived.", published=len(report.published),
                    unchanged=len(report.unchanged), archived=len(report.archived)), "success")
            return redirect(url_for("admin.course", course_slug=report.course.slug))
    return render_template("admin/courses.html", rows=authoring.course_rows(), new_form=NewCourseForm(),
                           import_form=form, problems=problems), 400


@bp.route("/courses/<course_slug>")
@roles_required(Role.ADMIN)
def course(course_slug: str):
    course = _course(course_slug)
    return render_template("admin/course.html", course=course, rows=authoring.module_rows(course),
                           action_form=ActionForm(), module_form=NewModuleForm(), languages=LANGUAGES)


@bp.route("/courses/<course_slug>/settings", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def course_settings(course_slug: str):
    course = _course(course_slug)
    form = CourseForm()
    if request.method == "GET":
        form = CourseForm(title_en=course.title.get("en"), title_ko=course.title.get("ko"),
                          summary_en=course.summary.get("en"), summary_ko=course.summary.get("ko"),
                          level=course.level, hours=course.hours, principles=", ".join(course.principles or []))
    elif form.validate_on_submit():
        authoring.update_course(course, title={"en": form.title_en.data, "ko": form.title_ko.data},
                                summary={"en": form.summary_en.data, "ko": form.summary_ko.data},
                                level=form.level.data, hours=float(form.hours.data),
                                principles=parse_principles(form.principles.data or ""), author=current_user)
        flash(_("Course card saved."), "success")
        return redirect(url_for("admin.course", course_slug=course.slug))
    return render_template("admin/course_settings.html", course=course, form=form, level_labels=LEVEL_LABELS)


@bp.route("/courses/<course_slug>/visibility", methods=["POST"])
@roles_required(Role.ADMIN)
def course_visibility(course_slug: str):
    course = _course(course_slug)
    if ActionForm().validate_on_submit():
        visible = request.form.get("visible") == "1"
        authoring.set_course_visible(course, visible, current_user)
        flash(_("The course is shown in the catalogue.") if visible else
              _("The course is hidden from students."), "success")
    return redirect(url_for("admin.course", course_slug=course.slug))


@bp.route("/courses/<course_slug>/export")
@roles_required(Role.ADMIN)
def export_course(course_slug: str):
    course = _course(course_slug)
    data = course_archive.export_course_by(current_user, course)
    return Response(data, mimetype="application/zip",
                    headers={"Content-Disposition": f"attachment; filename={course.slug}.zip"})


# --- modules ----------------------------------------------------------------------------------------


@bp.route("/courses/<course_slug>/modules/new", methods=["POST"])
@roles_required(Role.ADMIN)
def new_module(course_slug: str):
    course = _course(course_slug)
    form = NewModuleForm()
    if form.validate_on_submit():
        try:
            module = authoring.create_module(course, form.slug.data, form.title.data, current_user)
        except authoring.AuthoringError as error:
            flash(_authoring_message(error.code), "error")
        else:
            flash(_("Module added as a draft. Students see it once you publish it."), "success")
            return redirect(url_for("admin.edit_module", course_slug=course.slug, module_slug=module.slug, lang="en"))
    else:
        flash(_("Give the module a slug (lowercase letters, digits and hyphens) and a title."), "error")
    return redirect(url_for("admin.course", course_slug=course.slug))


@bp.route("/courses/<course_slug>/modules/<module_slug>/move", methods=["POST"])
@roles_required(Role.ADMIN)
def move_module(course_slug: str, module_slug: str):
    course, module = _course_module(course_slug, module_slug)
    if ActionForm().validate_on_submit() and request.form.get("direction") in ("up", "down"):
        authoring.move_module(course, module, request.form["direction"], current_user)
    return redirect(url_for("admin.course", course_slug=course.slug, _anchor=f"module-{module.slug}"))


@bp.route("/courses/<course_slug>/modules/<module_slug>/archive", methods=["POST"])
@roles_required(Role.ADMIN)
def archive_module(course_slug: str, module_slug: str):
    course, module = _course_module(course_slug, module_slug)
    if ActionForm().validate_on_submit():
        archived = request.form.get("archived") == "1"
        authoring.set_module_archived(course, module, archived, current_user)
        flash(_("Module archived: students no longer see it; their progress is kept.") if archived else
              _("Module restored: students see it again."), "success")
    return redirect(url_for("admin.course", course_slug=course.slug))


@bp.route("/courses/<course_slug>/modules/<module_slug>/<lang>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_module(course_slug: str, module_slug: str, lang: str):
    course, module = _course_module(course_slug, module_slug, lang)
    state = authoring.editor_state(module, lang)
    form = ModuleTextForm(source=state.text) if request.method == "GET" else ModuleTextForm()
    check, status = None, 200
    if form.validate_on_submit():
        try:
            if form.publish.data:
                authoring.publish(course, module, lang, form.source.data, current_user, form.note.data or "")
                flash(_("Published: students now see this version."), "success")
                return redirect(url_for("admin.edit_module", course_slug=course.slug, module_slug=module.slug,
                                        lang=lang))
            if form.save.data:
                authoring.save_draft(course, module, lang, form.source.data, current_user, form.note.data or "")
                flash(_("Draft saved. Students still see the published version."), "success")
                return redirect(url_for("admin.edit_module", course_slug=course.slug, module_slug=module.slug,
                                        lang=lang))
            check = authoring.check_text(course, module, lang, form.source.data)
        except authoring.CheckFailed as failed:
            check, status = failed.check, 422
            flash(_("Not saved: fix the errors listed next to the editor. Your text is kept below."), "error")
    return render_template("admin/module_edit.html", course=course, module=module, lang=lang, form=form,
                           state=state, check=check, preview=_preview(module, check, course.slug, lang),
                           other_lang=next(x for x in LANGUAGES if x != lang)), status


def _preview(module, check: authoring.TextCheck | None, course_slug: str, lang: str) -> dict | None:
    """The same body and inline-check pieces as the student page (app/templates/learn/_module_body.html)."""
    if check is None or check.rendered is None:
        return None
    body_html = scenario_explorers.fill_scenarios(  # explorers at their starting levers
        check.rendered.body_html, {}, lang=lang,
        base_url=url_for("learn.module", course_slug=course_slug, module_slug=module.slug))
    return {"parts": inline_checks.body_parts(body_html),
            "checks": inline_checks.build_checks(check.rendered.checks, module.id, quiz_labels())}


@bp.route("/courses/<course_slug>/modules/<module_slug>/<lang>/history")
@roles_required(Role.ADMIN)
def module_history(course_slug: str, module_slug: str, lang: str):
    course, module = _course_module(course_slug, module_slug, lang)
    diff = None
    if request.args.get("diff", type=int):
        try:
            diff = authoring.revision_diff(module, lang, request.args.get("diff", type=int))
        except authoring.AuthoringError:
            abort(404)
    return render_template("admin/history.html", course=course, module=module, lang=lang,
                           entries=authoring.history(module, lang), diff=diff, action_form=ActionForm())


@bp.route("/courses/<course_slug>/modules/<module_slug>/<lang>/rollback/<int:revision_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def rollback(course_slug: str, module_slug: str, lang: str, revision_id: int):
    """GET: what will be live after restoring, to confirm; POST: restore it."""
    course, module = _course_module(course_slug, module_slug, lang)
    form = ActionForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            authoring.rollback(course, module, lang, revision_id, current_user)
        except authoring.AuthoringError:
            abort(404)
        except authoring.CheckFailed as failed:
            flash(_("This revision no longer passes the checks, so it was not published: %(problems)s",
                    problems="; ".join(str(p) for p in failed.check.errors[:5])), "error")
        else:
            flash(_("Revision #%(id)d is live again: students now see it.", id=revision_id), "success")
        return redirect(url_for("admin.module_history", course_slug=course.slug, module_slug=module.slug,
                                lang=lang))
    try:
        plan = authoring.restore_plan(course, module, lang, revision_id)
    except authoring.AuthoringError:
        abort(404)
    return render_template("admin/restore.html", course=course, module=module, lang=lang, plan=plan,
                           preview=_preview(module, plan.check, course.slug, lang), action_form=form)


# --- images -----------------------------------------------------------------------------------------


@bp.route("/courses/<course_slug>/uploads", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def course_uploads(course_slug: str):
    course = _course(course_slug)
    form = UploadForm()
    stored, alt = None, None
    if form.validate_on_submit():
        try:
            stored = uploads.upload_image(current_user, course, form.image.data.read(uploads.max_bytes() + 1))
        except uploads.UploadRefused as refused:
            form.image.errors.append(_upload_message(refused.code))
        else:
            alt = form.alt.data.replace("[", "(").replace("]", ")").strip()
            flash(_("Image uploaded. Copy the Markdown below into a module."), "success")
    status = 400 if form.errors else 200
    return render_template("admin/uploads.html", course=course, form=form, stored=stored, alt=alt,
                           images=uploads.list_images(course.slug)), status


@bp.route("/media/<course_slug>/<name>")
@login_required  # images appear in modules every signed-in reader may open, like course assets
def course_media(course_slug: str, name: str):
    path = uploads.media_file(course_slug, name) or abort(404)
    extension = path.suffix.lstrip(".").lower()
    response = send_file(path, mimetype=uploads.MIME_TYPES.get(extension, "application/octet-stream"),
                         max_age=31536000 if request.args.get("v") else 3600, conditional=True)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = f"private, max-age={31536000 if request.args.get('v') else 3600}"
    return response


@bp.errorhandler(413)
def too_large(_error):
    message = _("The file is larger than this site accepts. Go back and choose a smaller one.")
    return render_template("errors/error.html", code=413, title=_("File too large"), message=message), 413
