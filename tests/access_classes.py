"""Access to class routes: every route × anonymous, student in the class, student outside it, owning teacher,
co-teacher, other teacher, admin. Paths are formatted with the ids the fixture creates."""
from __future__ import annotations

ROLES = ("anonymous", "student_in", "student_out", "owner", "co_teacher", "other_teacher", "admin")
STAFF_OF_CLASS = {"anonymous": "login", "student_in": 403, "student_out": 403, "owner": 200, "co_teacher": 200,
                  "other_teacher": 404, "admin": 200}
STAFF_ACTION = {**STAFF_OF_CLASS, "owner": "redirect", "co_teacher": "redirect", "admin": "redirect"}
ANY_TEACHER = {"anonymous": "login", "student_in": 403, "student_out": 403, "owner": 200, "co_teacher": 200,
               "other_teacher": 200, "admin": 200}

CLASS_ACCESS: list[tuple[str, str, str, dict]] = [
    ("teach.new_class", "GET", "/teach/classes/new", ANY_TEACHER),
    ("teach.class_page", "GET", "/teach/classes/{class_id}", STAFF_OF_CLASS),
    ("teach.edit_class", "GET", "/teach/classes/{class_id}/edit", STAFF_OF_CLASS),
    ("teach.show_code", "GET", "/teach/classes/{class_id}/code", STAFF_OF_CLASS),
    ("teach.regenerate_code", "POST", "/teach/classes/{class_id}/code/regenerate", STAFF_ACTION),
    ("teach.toggle_code", "POST", "/teach/classes/{class_id}/code/toggle", STAFF_ACTION),
    ("teach.archive_class", "POST", "/teach/classes/{class_id}/archive", STAFF_ACTION),
    ("teach.add_co_teacher", "POST", "/teach/classes/{class_id}/teachers", STAFF_ACTION),
    ("teach.remove_student", "POST", "/teach/classes/{class_id}/students/{student_id}/remove", STAFF_ACTION),
    ("teach.import_roster", "GET", "/teach/classes/{class_id}/roster", STAFF_OF_CLASS),
    ("teach.new_assignment", "GET", "/teach/classes/{class_id}/assignments/new", STAFF_OF_CLASS),
    ("teach.edit_assignment", "GET", "/teach/classes/{class_id}/assignments/{assignment_id}", STAFF_OF_CLASS),
    ("teach.delete_assignment", "POST", "/teach/classes/{class_id}/assignments/{assignment_id}/delete", STAFF_ACTION),
    ("teach.gradebook", "GET", "/teach/classes/{class_id}/gradebook", STAFF_OF_CLASS),
    ("teach.gradebook_csv", "GET", "/teach/classes/{class_id}/gradebook.csv", STAFF_OF_CLASS),
    ("teach.student_attempts", "GET", "/teach/classes/{class_id}/students/{student_id}", STAFF_OF_CLASS),
    ("teach.class_analysis", "GET", "/teach/classes/{class_id}/analysis/{module_id}", STAFF_OF_CLASS),
    ("teach.class_analysis_csv", "GET", "/teach/classes/{class_id}/analysis/{module_id}.csv", STAFF_OF_CLASS),
    ("teach.prepost_report", "GET", "/teach/classes/{class_id}/assignments/{assignment_id}/report", STAFF_OF_CLASS),
    ("teach.prepost_report_csv", "GET", "/teach/classes/{class_id}/assignments/{assignment_id}/report.csv",
     STAFF_OF_CLASS),
    ("teach.open_post", "POST", "/teach/classes/{class_id}/assignments/{assignment_id}/post", STAFF_ACTION),
    ("teach.release_results", "POST", "/teach/classes/{class_id}/assignments/{assignment_id}/release",
     STAFF_ACTION),
    ("teach.learning_gain", "GET", "/teach/classes/{class_id}/gain/{module_id}", STAFF_OF_CLASS),
    # every teacher may open it, and sees only the students of the classes they teach (tested in test_classes)
    ("teach.all_classes_analysis", "GET", "/teach/analysis/{module_id}", ANY_TEACHER),
    # A class that does not come from an LMS has no roster to sync: 404 for its staff too.
    ("teach.sync_lms_roster", "POST", "/teach/classes/{class_id}/lms-roster",
     {**STAFF_OF_CLASS, "owner": 404, "co_teacher": 404, "admin": 404}),
    ("learn.join_class", "POST", "/join",
     {"anonymous": "login", "student_in": "redirect", "student_out": "redirect", "owner": 403, "co_teacher": 403,
      "other_teacher": 403, "admin": 403}),
]
