"""Teachers' classes: join codes, co-teachers, rosters (including CSV import) and who may see what."""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import delete, exists, func, or_, select

from app.database import unit_of_work
from app.extensions import db
from app.models import ClassTeacher, Enrollment, Role, SchoolClass, User
from app.plain_text import has_control_characters
from app.services import accounts

# No look-alikes: no 0/O, 1/I/L; upper case only, so a code read aloud or from a projector is unambiguous.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
USERNAME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
DEFAULT_TIMEZONE = "Asia/Seoul"


class ClassError(ValueError):
    """A class action refused; ``code`` names why, for a translated message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


def _new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        if not db.session.scalar(select(exists().where(SchoolClass.join_code == code))):
            return code


def valid_timezone(name: str) -> bool:
    return name in available_timezones()


def create_class(owner: User, *, name: str, school: str, term: str, description: str = "",
                 timezone: str = DEFAULT_TIMEZONE) -> SchoolClass:
    school_class = SchoolClass(name=name.strip(), school=school.strip(), term=term.strip(),
                               description=description.strip(), timezone=timezone, owner_id=owner.id,
                               join_code=_new_join_code(), join_code_enabled=True)
    db.session.add(school_class)
    db.session.flush()
    db.session.add(ClassTeacher(class_id=school_class.id, user_id=owner.id))
    db.session.commit()
    return school_class


def teaches(user: User, class_id: int) -> bool:
    return db.session.scalar(select(exists().where(ClassTeacher.class_id == class_id,
                                                   ClassTeacher.user_id == user.id)))


def class_for_staff(user: User, class_id: int) -> SchoolClass | None:
    """The class if ``user`` teaches it (owner or co-teacher) or is an admin; None otherwise (shown as 404)."""
    statement = select(SchoolClass).where(SchoolClass.id == class_id)
    if user.role != Role.ADMIN:
        statement = statement.where(exists().where(ClassTeacher.class_id == SchoolClass.id,
                                                   ClassTeacher.user_id == user.id))
    return db.session.scalar(statement)


@dataclass(frozen=True)
class ClassSummary:
    school_class: SchoolClass
    students: int
    is_owner: bool


def classes_for(user: User, *, archived: bool = False) -> list[ClassSummary]:
    """Classes the user teaches (all classes for admins), with their student counts, in two queries."""
    statement = select(SchoolClass).where(SchoolClass.archived.is_(archived)).order_by(SchoolClass.name)
    if user.role != Role.ADMIN:
        statement = statement.where(exists().where(ClassTeacher.class_id == SchoolClass.id,
                                                   ClassTeacher.user_id == user.id))
    classes = db.session.scalars(statement).all()
    counts = dict(db.session.execute(
        select(Enrollment.class_id, func.count()).where(Enrollment.class_id.in_([c.id for c in classes]))
        .group_by(Enrollment.class_id)).all()) if classes else {}
    return [ClassSummary(c, counts.get(c.id, 0), c.owner_id == user.id) for c in classes]


def _require_active(school_class: SchoolClass) -> None:
    if school_class.archived:
        raise ClassError("archived")


def update_details(school_class: SchoolClass, *, name: str, school: str, term: str, description: str,
                   timezone: str) -> None:
    _require_active(school_class)
    school_class.name, school_class.school, school_class.term = name.strip(), school.strip(), term.strip()
    school_class.description, school_class.timezone = description.strip(), timezone
    db.session.commit()


def regenerate_code(school_class: SchoolClass) -> str:
    _require_active(school_class)
    school_class.join_code = _new_join_code()
    school_class.join_code_enabled = True
    db.session.commit()
    return school_class.join_code


def set_code_enabled(school_class: SchoolClass, enabled: bool) -> None:
    _require_active(school_class)
    school_class.join_code_enabled = enabled
    db.session.commit()


def set_archived(school_class: SchoolClass, archived: bool) -> None:
    school_class.archived = archived
    db.session.commit()


def add_co_teacher(school_class: SchoolClass, email: str) -> User:
    _require_active(school_class)
    teacher = accounts.find_by_login(email)
    if teacher is None or teacher.role not in (Role.TEACHER, Role.ADMIN) or not teacher.active:
        raise ClassError("not_a_teacher")
    if teaches(teacher, school_class.id):
        raise ClassError("already_teaches")
    db.session.add(ClassTeacher(class_id=school_class.id, user_id=teacher.id))
    db.session.commit()
    return teacher


def teachers_of(class_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(ClassTeacher, ClassTeacher.user_id == User.id)
                                   .where(ClassTeacher.class_id == class_id).order_by(User.name)))


def students_of(class_id: int) -> list[tuple[User, Enrollment]]:
    return list(db.session.execute(
        select(User, Enrollment).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.class_id == class_id).order_by(User.name, User.id)).all())


def joinable_class(code: str) -> SchoolClass:
    """The class a join code opens; ClassError('unknown'|'switched_off'|'archived') otherwise."""
    school_class = db.session.scalar(select(SchoolClass).where(SchoolClass.join_code == normalise_code(code)))
    if school_class is None:
        raise ClassError("unknown")
    if school_class.archived:
        raise ClassError("archived")
    if not school_class.join_code_enabled:
        raise ClassError("switched_off")
    return school_class


def join_with_code(student: User, code: str) -> SchoolClass:
    """Enrol a student by join code; ClassError as joinable_class, or 'already_member'."""
    school_class = joinable_class(code)
    if is_enrolled(student.id, school_class.id):
        raise ClassError("already_member")
    db.session.add(Enrollment(class_id=school_class.id, user_id=student.id))
    db.session.commit()
    return school_class


def enrol(school_class: SchoolClass, student: User) -> None:
    """Put a student in a class without a code (a teacher's roster, the demo class); nothing if already in."""
    with unit_of_work():
        if not is_enrolled(student.id, school_class.id):
            db.session.add(Enrollment(class_id=school_class.id, user_id=student.id))


def is_enrolled(user_id: int, class_id: int) -> bool:
    return db.session.scalar(select(exists().where(Enrollment.class_id == class_id, Enrollment.user_id == user_id)))


def remove_student(school_class: SchoolClass, user_id: int) -> bool:
    """Take a student out of the class; their account, progress and attempts stay."""
    _require_active(school_class)
    removed = db.session.execute(delete(Enrollment).where(Enrollment.class_id == school_class.id,
                                                          Enrollment.user_id == user_id)).rowcount
    db.session.commit()
    return bool(removed)


# Roster import -----------------------------------------------------------------------------------------------

MAX_ROSTER_ROWS = 500
NAME_HEADERS = {"name", "이름", "성명"}
NUMBER_HEADERS = {"student number", "student_number", "number", "학번", "번호"}


@dataclass(frozen=True)
class RosterProblem:
    row: int  # the line number in the file, header = 1
    message_code: str
    value: str = ""


@dataclass(frozen=True)
class NewStudent:
    name: str
    student_number: str
    username: str
    password: str  # shown once to the teacher, never stored in clear


class RosterError(ValueError):
    def __init__(self, problems: list[RosterProblem]):
        super().__init__(f"{len(problems)} bad row(s)")
        self.problems = problems


def parse_roster(data: bytes) -> list[tuple[int, str, str]]:
    """Rows (line, name, student number) from a CSV in UTF-8 (with or without BOM); RosterError lists bad rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterError([RosterProblem(1, "not_utf8")]) from None
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [row for row in reader]
    except csv.Error:  # a cell over csv.field_size_limit() (131,072 characters), or broken quoting
        raise RosterError([RosterProblem(reader.line_num or 1, "bad_csv")]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError([RosterProblem(1, "empty")])
    header = [cell.strip().lower() for cell in rows[0]]
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    number_col = next((i for i, h in enumerate(header) if h in NUMBER_HEADERS), None)
    if name_col is None:
        raise RosterError([RosterProblem(1, "no_name_column")])
    problems: list[RosterProblem] = []
    parsed: list[tuple[int, str, str]] = []
    seen_numbers: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines at the end of spreadsheets
        name = row[name_col].strip() if name_col < len(row) else ""
        number = row[number_col].strip() if number_col is not None and number_col < len(row) else ""
        if has_control_characters(name) or has_control_characters(number):
            problems.append(RosterProblem(line, "control_characters"))
        elif not name:
            problems.append(RosterProblem(line, "missing_name"))
        elif len(name) > 120:
            problems.append(RosterProblem(line, "name_too_long", name[:20]))
        if len(number) > 32:
            problems.append(RosterProblem(line, "number_too_long", number[:20]))
        elif number and number in seen_numbers:
            problems.append(RosterProblem(line, "duplicate_number", number))
        elif number:
            seen_numbers[number] = line
        parsed.append((line, name, number))
    if len(parsed) > MAX_ROSTER_ROWS:
        problems.append(RosterProblem(MAX_ROSTER_ROWS + 2, "too_many_rows"))
    if not parsed and not problems:
        problems.append(RosterProblem(2, "no_rows"))
    if problems:
        raise RosterError(problems)
    return parsed


def _new_username() -> str:
    while True:
        name = "s-" + "".join(secrets.choice(USERNAME_ALPHABET) for _ in range(6))
        if not db.session.scalar(select(exists().where(or_(User.username == name, User.email == name)))):
            return name


def _one_time_password() -> str:
    groups = ["".join(secrets.choice(USERNAME_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def import_roster(school_class: SchoolClass, data: bytes) -> list[NewStudent]:
    """Create an account per row and enrol it; all rows or none (RosterError lists every bad row)."""
    _require_active(school_class)
    rows = parse_roster(data)
    created: list[NewStudent] = []
    try:
        for _line, name, number in rows:
            username, password = _new_username(), _one_time_password()
            user = accounts.create_user(None, name, password, Role.STUDENT, username=username, check_policy=False)
            user.must_change_password = True
            db.session.add(Enrollment(class_id=school_class.id, user_id=user.id, student_number=number or None))
            created.append(NewStudent(name, number, username, password))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return created


def class_zone(school_class: SchoolClass) -> ZoneInfo:
    return ZoneInfo(school_class.timezone or DEFAULT_TIMEZONE)
