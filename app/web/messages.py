"""User-facing wording every blueprint shares: class and roster refusals, assignment states, quiz widget labels."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.quizzes.text import MAX_ANSWER_LENGTH

CLASS_ERRORS = {
    "archived": _l("This class is archived and read-only. Restore it first."),
    "unknown": _l("No class has this code. Check the letters and numbers with your teacher."),
    "switched_off": _l("This class code is switched off. Ask your teacher for a new one."),
    "already_member": _l("You are already in this class."),
    "not_a_teacher": _l("No active teacher account uses that email."),
    "already_teaches": _l("That teacher already teaches this class."),
    "prepost_module": _l("A pre/post check is one module with a quiz, not a whole course."),
    "prepost_no_quiz": _l("This module has no quiz to take before and after."),
    "crossover_forms": _l("Crossover needs a quiz with two forms (A and B); this quiz has one."),
}

ROSTER_PROBLEMS = {
    "not_utf8": _l("The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”."),
    "empty": _l("The file is empty."),
    "no_name_column": _l("The first row needs a column called name (or 이름)."),
    "missing_name": _l("The name is missing."),
    "name_too_long": _l("The name is longer than 120 characters."),
    "number_too_long": _l("The student number is longer than 32 characters."),
    "duplicate_number": _l("This student number appears twice in the file."),
    "too_many_rows": _l("At most 500 students per file."),
    "no_rows": _l("The file has a header but no students."),
    "bad_csv": _l("This row cannot be read as CSV: a cell is longer than 131,072 characters or a quote is not "
                  "closed. Check the file in your spreadsheet and save it again as “CSV UTF-8”."),
    "control_characters": _l("This row holds invisible control characters (such as NUL). Retype the name and "
                             "number, or copy them from another program."),
}

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "completed_late": _l("Completed late"),
    "overdue": _l("Overdue"),
}


def quiz_labels() -> dict[str, str]:
    """Labels the quiz widgets need, in the reader's language (module page, attempt page, authoring preview)."""
    return {"true": _("True"), "false": _("False"), "choose": _("Choose…"), "position": _("Position"),
            "positions_once": _("Use each position once."),
            "too_long": _("Keep the answer under %(n)d characters.", n=MAX_ANSWER_LENGTH)}
