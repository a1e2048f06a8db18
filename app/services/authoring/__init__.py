"""Authoring courses in the browser: check and preview, drafts, publishing, history and rollback, structure.

A module text typed in the browser is checked by writing its course to a temporary courses folder (the
workspace: ``course.yml``, the other published modules, ``assets/`` and ``_data/``) and running the same
linter and renderer as ``flask courses sync``. So the preview is exactly what students will see. The linter checks
the typed text in full and reads the other files only for the checks across modules (slugs, languages,
prerequisites, misconception tags, similar items), so a preview costs about one module, not the course.

One module per concern: ``workspace`` (the course as files), ``checking`` (check, drafts, publishing, rollback),
``history`` (timeline, diffs, restore plans), ``structure`` (courses and modules). Callers use this package's names.
"""
from app.services.authoring.checking import (
    MAX_MODULES,
    AuthoringError,
    CheckFailed,
    EditorState,
    TextCheck,
    check_text,
    editor_state,
    keep_replaced_version,
    normalise_text,
    publish,
    publish_checked,
    restorable_revision,
    rollback,
    save_draft,
)
from app.services.authoring.history import (
    DiffLine,
    HistoryEntry,
    RestorePlan,
    diff_lines,
    history,
    restore_plan,
    revision_diff,
)
from app.services.authoring.structure import (
    CourseRow,
    ModuleRow,
    course_rows,
    create_course,
    create_module,
    get_course,
    get_module,
    module_rows,
    move_module,
    set_course_visible,
    set_module_archived,
    update_course,
)
from app.services.authoring.workspace import Workspace, asset_url_in, course_workspace, data_folders

__all__ = [
    "MAX_MODULES", "AuthoringError", "CheckFailed", "CourseRow", "DiffLine", "EditorState", "HistoryEntry",
    "ModuleRow", "RestorePlan", "TextCheck", "Workspace", "asset_url_in", "check_text", "course_rows",
    "course_workspace", "create_course", "create_module", "data_folders", "diff_lines", "editor_state", "get_course",
    "get_module", "history", "keep_replaced_version", "module_rows", "move_module", "normalise_text", "publish",
    "publish_checked", "restorable_revision", "restore_plan", "revision_diff", "rollback", "save_draft",
    "set_course_visible", "set_module_archived", "update_course",
]
