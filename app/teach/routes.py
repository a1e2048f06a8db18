from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app.content.share_chart import render_share_chart
from app.downloads import csv_download
from app.i18n import answer_label, current_language
from app.models import Module, Role
from app.models.base import utcnow
from app.security import roles_required
from app.services import assessment, assignments, classes, item_analysis, lti_scores, prepost
from app.services import gradebook as gradebooks
from app.services import learning_gain as learning_gains
from app.services.classes import ClassError, RosterError
from app.services.learning import module_and_course, module_title
from app.teach import bp
from app.teach.forms import AssignmentEditForm, AssignmentForm, ClassForm, CoTeacherForm, RosterForm
from app.web.messages import CLASS_ERRORS, ROSTER_PROBLEMS, STATUS_LABELS

staff = roles_required(Role.TEACHER, Role.ADMIN)


@bp.app_context_processor
def status_labels():
    # Translated once per page, not once per gradebook cell (a thousand-student gradebook has thousands).
    return {"status_labels": {status: str(label) for status, label in STATUS_LABELS.items()}}


def _class_or_404(class_id: int):
    return classes.class_for_staff(current_user, class_id) or abort(404)


def _to_utc(local: datetime | None, school_class) -> datetime | None:
    return local.replace(tzinfo=classes.class_zone(school_class)).astimezone(UTC) if local else None


def _to_local(value: datetime | None, school_class) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(classes.class_zone(school_class)).replace(tzinfo=None)


@bp.route("/")
@staff
def dashboard():
    return render_template("teach/dashboard.html", active=classes.classes_for(current_user),
                           archived=classes.classes_for(current_user, archived=True))


@bp.route("/classes/new", methods=["GET", "POST"])
@staff
def new_class():
    form = ClassForm()
    if form.validate_on_submit():
        school_class = classes.create_class(current_user, name=form.name.data, school=form.school.data,
                                            term=form.term.data, description=form.description.data or "",
                                            timezone=form.timezone.data)
        flash(_("Class created. Share the join code with your students."), "success")
        return redirect(url_for("teach.class_page", class_id=school_class.id))
    return render_template("teach/class_form.html", form=form, school_class=None)


@bp.route("/classes/<int:class_id>")
@staff
def class_page(class_id: int):
    school_class = _class_or_404(class_id)
    items = assignments.class_items(school_class.id, current_language())
    return render_template("teach/class.html", school_class=school_class, teachers=classes.teachers_of(class_id),
                           students=classes.students_of(class_id), items=items, co_form=CoTeacherForm(),
                           to_local=lambda value: _to_local(value, school_class),
                           lms_roster=lti_scores.class_context(class_id) is not None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@staff
def edit_class(class_id: int):
    school_class = _class_or_404(class_id)
    form = ClassForm(obj=school_class)
    if form.validate_on_submit():
        try:
            classes.update_details(school_class, name=form.name.data, school=form.school.data, term=form.term.data,
                                   description=form.description.data or "", timezone=form.timezone.data)
        except ClassError as error:
            flash(CLASS_ERRORS[error.code], "error")
        else:
            flash(_("Class details saved."), "success")
            return redirect(url_for("teach.class_page", class_id=class_id))
    return render_template("teach/class_form.html", form=form, school_class=school_class)


@bp.route("/classes/<int:class_id>/lms-roster", methods=["POST"])
@staff
def sync_lms_roster(class_id: int):
    """Names and Role Provisioning Services: bring the LMS course's members into the class."""
    _class_or_404(class_id)
    try:
        report = lti_scores.sync_roster(class_id, current_app.config["SECRET_KEY"])
    except LookupError:
        abort(404)
    except Exception:  # the LMS down or refusing: say so, change nothing
        current_app.logger.warning("LMS roster sync failed for class %s", class_id, exc_info=True)
        flash(_("The LMS did not send the roster. Try again later; nothing was changed."), "error")
    else:
        flash(_("Roster synced from the LMS: %(students)d students and %(teachers)d teachers added, "
                "%(unchanged)d already in the class.", students=report.students_added,
                teachers=report.teachers_added, unchanged=report.unchanged), "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/code")
@staff
def show_code(class_id: int):
    return render_template("teach/code.html", school_class=_class_or_404(class_id))


def _class_action(class_id: int, action, success: str):
    """Run a one-button class action, turning refusals into a message."""
    school_class = _class_or_404(class_id)
    try:
        action(school_class)
    except ClassError as error:
        flash(CLASS_ERRORS[error.code], "error")
    else:
        flash(success, "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/code/regenerate", methods=["POST"])
@staff
def regenerate_code(class_id: int):
    return _class_action(class_id, classes.regenerate_code, _("A new join code is ready; the old one no longer works."))


@bp.route("/classes/<int:class_id>/code/toggle", methods=["POST"])
@staff
def toggle_code(class_id: int):
    enable = request.form.get("enable") == "1"
    return _class_action(class_id, lambda c: classes.set_code_enabled(c, enable),
                         _("The join code is on.") if enable else _("The join code is switched off."))


@bp.route("/classes/<int:class_id>/archive", methods=["POST"])
@staff
def archive_class(class_id: int):
    archive = request.form.get("archive") == "1"
    return _class_action(class_id, lambda c: classes.set_archived(c, archive),
                         _("The class is archived: kept, read-only.") if archive else _("The class is restored."))


@bp.route("/classes/<int:class_id>/teachers", methods=["POST"])
@staff
def add_co_teacher(class_id: int):
    _class_or_404(class_id)
    form = CoTeacherForm()
    if not form.validate_on_submit():
        flash(_("Type the email of a teacher's account."), "error")
        return redirect(url_for("teach.class_page", class_id=class_id))
    return _class_action(class_id, lambda c: classes.add_co_teacher(c, form.email.data),
                         _("Co-teacher added: you both see and manage this class."))


@bp.route("/classes/<int:class_id>/students/<int:user_id>/remove", methods=["POST"])
@staff
def remove_student(class_id: int, user_id: int):
    return _class_action(class_id, lambda c: classes.remove_student(c, user_id),
                         _("The student is removed from the class; their account and work are kept."))


@bp.route("/classes/<int:class_id>/roster", methods=["GET", "POST"])
@staff
def import_roster(class_id: int):
    school_class = _class_or_404(class_id)
    form = RosterForm()
    problems, created = [], None
    if form.validate_on_submit():
        try:
            created = classes.import_roster(school_class, form.roster.data.read())
        except RosterError as error:
            problems = [(p.row, ROSTER_PROBLEMS[p.message_code], p.value) for p in error.problems]
        except ClassError as error:
            flash(CLASS_ERRORS[error.code], "error")
    if created is not None:
        # Shown once: the one-time passwords are not stored in clear anywhere.
        return render_template("teach/roster_created.html", school_class=school_class, created=created)
    return render_template("teach/roster.html", school_class=school_class, form=form, problems=problems)


def _assignment_choices(lang: str) -> list[SelectChoice]:
    choices = []
    for course, modules in assignments.assignable_items(lang):
        title = course.in_language("title", lang)
        choices.append(SelectChoice(f"c:{course.id}", _("Whole course: %(title)s", title=title), optgroup=title))
        choices += [SelectChoice(f"m:{module.id}", name, optgroup=title) for module, name in modules]
    return choices


def _past_due_unconfirmed(form, school_class, previous: datetime | None) -> bool:
    """A new due date in the past needs the confirmation box: refuse (keeping what was typed) until it is ticked."""
    due = _to_utc(form.due.data, school_class)
    if due is None or due >= utcnow() or form.past_due_ok.data or _same_minute(due, previous):
        return False
    form.refuse_past_due()
    return True


def _same_minute(due: datetime, previous: datetime | None) -> bool:
    """An unchanged due date (editing only the note of an overdue assignment) needs no confirmation again."""
    if previous is None:
        return False
    return abs((due - previous).total_seconds()) < 60


@bp.route("/classes/<int:class_id>/assignments/new", methods=["GET", "POST"])
@staff
def new_assignment(class_id: int):
    school_class = _class_or_404(class_id)
    form = AssignmentForm()
    form.item.choices = _assignment_choices(current_language())
    if form.validate_on_submit() and not _past_due_unconfirmed(form, school_class, previous=None):
        kind, _sep, ident = form.item.data.partition(":")
        try:
            assignments.assign(school_class, module_id=int(ident) if kind == "m" else None,
                               course_id=int(ident) if kind == "c" else None,
                               due_at=_to_utc(form.due.data, school_class), note=form.note.data or "", by=current_user,
                               prepost=form.prepost.data, crossover=form.crossover.data)
        except assignments.AssignmentError as error:
            flash(CLASS_ERRORS.get(error.code, CLASS_ERRORS["archived"]), "error")
        else:
            flash(_("Assigned."), "success")
            return redirect(url_for("teach.class_page", class_id=class_id))
    return render_template("teach/assignment_form.html", form=form, school_class=school_class, assignment=None)


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@staff
def edit_assignment(class_id: int, assignment_id: int):
    school_class = _class_or_404(class_id)
    assignment = assignments.assignment_of(school_class, assignment_id) or abort(404)
    form = AssignmentEditForm(data={"due": _to_local(assignment.due_at, school_class), "note": assignment.note})
    if request.method == "POST":
        form = AssignmentEditForm()
    if form.validate_on_submit() and not _past_due_unconfirmed(form, school_class, previous=assignment.due_at):
        if school_class.archived:
            flash(CLASS_ERRORS["archived"], "error")
        else:
            assignments.update_assignment(assignment, due_at=_to_utc(form.due.data, school_class),
                                          note=form.note.data or "")
            flash(_("Assignment saved. Students' work is unchanged."), "success")
            return redirect(url_for("teach.class_page", class_id=class_id))
    return render_template("teach/assignment_form.html", form=form, school_class=school_class, assignment=assignment)


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@staff
def delete_assignment(class_id: int, assignment_id: int):
    school_class = _class_or_404(class_id)
    assignment = assignments.assignment_of(school_class, assignment_id) or abort(404)
    if school_class.archived:
        flash(CLASS_ERRORS["archived"], "error")
    else:
        assignments.remove_assignment(assignment)
        flash(_("Assignment removed. Students' progress and quiz results are kept."), "success")
    return redirect(url_for("teach.class_page", class_id=class_id))


@bp.route("/classes/<int:class_id>/gradebook")
@staff
def gradebook(class_id: int):
    school_class = _class_or_404(class_id)
    sort = request.args.get("sort") if request.args.get("sort") in ("name", "progress") else "name"
    book = gradebooks.for_class(school_class, current_language(), sort=sort,
                                page=request.args.get("page", 1, type=int))
    # One url_for, not one per student (werkzeug's URL building was 40% of a 1,000-student gradebook).
    student_path = url_for("teach.student_attempts", class_id=class_id, user_id=0).rsplit("/", 1)[0] + "/"
    return render_template("teach/gradebook.html", book=book, sort=sort, school_class=school_class,
                           student_path=student_path, cells_html=_gradebook_cells(),
                           to_local=lambda value: _to_local(value, school_class))


def _gradebook_cells():
    """A row's cells as HTML, each distinct (state, score) built once: a 200 × 17 gradebook has 3,400 cells but only
    a few hundred different ones, and Jinja spent most of the page's time on them."""
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    built: dict[tuple[str, int | None], Markup] = {}

    def cells_html(cells) -> Markup:
        parts = []
        for cell in cells:
            key = (cell.status, None if cell.best is None else int(round(cell.best)))
            html = built.get(key)
            if html is None:
                score = Markup("<br>{}%").format(key[1]) if key[1] is not None else ""
                html = built[key] = Markup('<td class="cell-{}">{}{}</td>').format(cell.status, labels[cell.status],
                                                                                  score)
            parts.append(html)
        return Markup("").join(parts)

    return cells_html


@bp.route("/classes/<int:class_id>/gradebook.csv")
@staff
def gradebook_csv(class_id: int):
    school_class = _class_or_404(class_id)
    book = gradebooks.for_class(school_class, current_language(), page=None)
    header = [_("Student"), _("Student number")]
    for item in book.items:
        header += [item.title, _("%(item)s: best score (%%)", item=item.title)]
    header += [_("Completed"), _("Average score (%)")]
    rows = [header]
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    for row in book.rows:
        line = [row.student.name, row.student_number or ""]
        for cell in row.cells:
            line += [labels[cell.status], "" if cell.best is None else round(cell.best, 1)]
        line += [row.completed, "" if row.average is None else round(row.average, 1)]
        rows.append(line)
    return csv_download(rows, f"gradebook-{class_id}.csv")


@bp.route("/classes/<int:class_id>/students/<int:user_id>")
@staff
def student_attempts(class_id: int, user_id: int):
    school_class = _class_or_404(class_id)
    student = next((u for u, _e in classes.students_of(class_id) if u.id == user_id), None) or abort(404)
    return render_template("teach/student.html", school_class=school_class, student=student,
                           attempts=gradebooks.student_attempts(user_id, current_language(), class_id=class_id))


def _module_or_404(module_id: int):
    return module_and_course(module_id) or abort(404)


@bp.route("/classes/<int:class_id>/analysis/<int:module_id>")
@staff
def class_analysis(class_id: int, module_id: int):
    school_class = _class_or_404(class_id)
    module, course = _module_or_404(module_id)
    questions, students = item_analysis.for_module(module.id, class_id=school_class.id)
    return render_template("teach/analysis.html", school_class=school_class, module=module, course=course,
                           questions=questions, students=students, title=_module_title(module))


@bp.route("/classes/<int:class_id>/analysis/<int:module_id>.csv")
@staff
def class_analysis_csv(class_id: int, module_id: int):
    school_class = _class_or_404(class_id)
    module, _course = _module_or_404(module_id)
    questions, _students = item_analysis.for_module(module.id, class_id=school_class.id)
    return csv_download(_analysis_rows(questions), f"item-analysis-{class_id}-{module.slug}.csv")


@bp.route("/classes/<int:class_id>/gain/<int:module_id>")
@staff
def learning_gain(class_id: int, module_id: int):
    school_class = _class_or_404(class_id)
    module, course = _module_or_404(module_id)
    return render_template("teach/gain.html", school_class=school_class, module=module, course=course,
                           title=_module_title(module), gain=learning_gains.for_class(class_id, module.id))


@bp.route("/analysis/<int:module_id>")
@staff
def all_classes_analysis(module_id: int):
    """One module across classes: a teacher's own classes (owner or co-teacher); an admin's, every student."""
    module, course = _module_or_404(module_id)
    every_student = current_user.role == Role.ADMIN
    questions, students = item_analysis.for_module(
        module.id, class_id=None, teacher_id=None if every_student else current_user.id)
    return render_template("teach/analysis.html", school_class=None, module=module, course=course,
                           questions=questions, students=students, title=_module_title(module),
                           every_student=every_student)


def _module_title(module: Module) -> str:
    return module_title(module.id, current_language()) or module.slug


def _analysis_rows(questions) -> list[list]:
    rows = [[_("Question"), _("Answered"), _("Correct (%)"), _("Wrong answer"), _("Chosen by (%)"),
             _("Misconception")]]
    for q in questions:
        rows.append([q.title, q.answered, round(100 * q.correct_share), "", "", ""])
        for choice in q.wrong_choices:
            rows.append([q.title, "", "", choice.text, round(100 * choice.share), choice.misconception or ""])
        for tag, share in q.misconceptions:
            if not any(c.misconception == tag for c in q.wrong_choices):
                rows.append([q.title, "", "", "", round(100 * share), tag])
    return rows


# Pre/post checks ---------------------------------------------------------------------------------------------

def _prepost_or_404(class_id: int, assignment_id: int):
    school_class = _class_or_404(class_id)
    assignment = assignments.assignment_of(school_class, assignment_id)
    if assignment is None or not assignment.prepost:
        abort(404)
    return school_class, assignment


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/report")
@staff
def prepost_report(class_id: int, assignment_id: int):
    school_class, assignment = _prepost_or_404(class_id, assignment_id)
    report = prepost.class_report(assignment, current_language())
    chart = render_share_chart(
        [(m.name, m.prevalence.before, m.prevalence.after) for m in report.misconceptions],
        {"title": _("Share of the class holding each misconception, before and after"), "before": _("Before"),
         "after": _("After")})
    return render_template("teach/prepost.html", school_class=school_class, report=report, chart=chart,
                           title=_module_title(report.module))


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/report.csv")
@staff
def prepost_report_csv(class_id: int, assignment_id: int):
    _school_class, assignment = _prepost_or_404(class_id, assignment_id)
    report = prepost.class_report(assignment, current_language())
    return csv_download(prepost_csv_rows(report), f"prepost-{class_id}-{report.module.slug}.csv")


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/post", methods=["POST"])
@staff
def open_post(class_id: int, assignment_id: int):
    school_class, assignment = _prepost_or_404(class_id, assignment_id)
    if school_class.archived:
        flash(CLASS_ERRORS["archived"], "error")
    else:
        assessment.open_post(assignment)
        flash(_("The second sitting is open: students now take the check after teaching."), "success")
    return redirect(url_for("teach.prepost_report", class_id=class_id, assignment_id=assignment_id))


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>/release", methods=["POST"])
@staff
def release_results(class_id: int, assignment_id: int):
    school_class, assignment = _prepost_or_404(class_id, assignment_id)
    release = request.form.get("release") != "0"
    if school_class.archived:
        flash(CLASS_ERRORS["archived"], "error")
    else:
        assessment.release_results(assignment, release)
        flash(_("Results released: students now see what this quiz shows after release.") if release
              else _("Results hidden from students again."), "success")
    return redirect(url_for("teach.prepost_report", class_id=class_id, assignment_id=assignment_id))


def prepost_csv_rows(report) -> list[list]:
    """The report's figures as CSV rows: a section per table, headers in the teacher's language."""
    def pct(value):
        return "" if value is None else round(100 * value, 1)

    def num(value, digits=3):
        return "" if value is None else round(value, digits)

    gain = report.gain
    rows: list[list] = [
        [_("Class")], [_("Students with both tests"), _("Average before (%)"), _("Average after (%)"),
                       _("Class gain ⟨g⟩"), _("Average normalised change c"), _("Students with c")],
        [gain.students, num(gain.mean_pre, 1), num(gain.mean_post, 1), num(gain.class_gain), num(gain.mean_change),
         gain.change_students],
        [], [_("Student"), _("Form before"), _("Form after"), _("Before (%)"), _("After (%)"), _("Change c")],
    ]
    rows += [[r.student.name, r.pre_form, r.post_form, num(r.pre, 1), num(r.post, 1), num(r.change)]
             for r in report.students]
    rows += [[], [_("Misconception"), _("Before (%)"), _("After (%)"), _("Held before"), _("Tested before"),
                  _("Held after"), _("Tested after")]]
    rows += [[m.name, pct(m.prevalence.before), pct(m.prevalence.after), m.prevalence.before_holders,
              m.prevalence.before_tested, m.prevalence.after_holders, m.prevalence.after_tested]
             for m in report.misconceptions]
    rows += [[], [_("Question"), _("Form"), _("Sitting"), _("Answered"), _("Facility"), _("Discrimination"),
                  _("Answers")]]
    for item in report.items:
        answers = "; ".join(f"{answer_label(a.label, item.question.type)}: {a.count}" for a in item.answers)
        rows.append([item.question.title, item.form, _("Before") if item.sitting == "pre" else _("After"),
                     item.answered, num(item.facility, 2), num(item.discrimination, 2), answers])
    return rows
