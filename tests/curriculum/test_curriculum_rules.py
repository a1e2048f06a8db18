"""Curriculum rules for the Climate Literacy Foundations course (docs/curriculum.md, docs/format-spec.md).

Reads the files with tests/curriculum/quizfiles.py (PyYAML for front matter, the app's own quiz parser for quizzes,
so there is one quiz grammar); the last test also runs the app's own linter over courses/.
"""
from __future__ import annotations

import re
import sys

import pytest
import yaml
from quizfiles import (
    COURSES,
    DATA,
    ROOT,
    ModuleFile,
    char_count_without_spaces,
    charts,
    csv_header,
    module_files,
    parse_number,
    prose,
    read_module,
    word_count,
)

COURSE = COURSES / "climate-literacy-foundations"
CURRICULUM_DOC = ROOT / "docs" / "curriculum.md"
LANGS = ("en", "ko")
DIAGNOSTIC = "00-diagnostic"
MODULES = [
    DIAGNOSTIC,
    "01-weather-and-climate",
    "02-energy-balance",
    "03-carbon-cycle",
    "04-evidence-data-lab",
    "04b-future-climate",
    "05-impacts-and-risk",
    "06-energy-and-mitigation",
    "07-pohang-in-transition",
    "08-acting-on-it",
    "09-korea-climate-policy",
]
CONTENT_MODULES = [m for m in MODULES if m != DIAGNOSTIC]
FOUNDATION_PRINCIPLES = [f"EP{n}" for n in range(1, 8)] + ["GP"]
PRINCIPLES = set(FOUNDATION_PRINCIPLES) | {f"AC{n}" for n in range(1, 9)}
FRONT_MATTER_KEYS = {
    "title", "summary", "minutes", "objectives", "principles", "prerequisites", "formerly", "quiz",
}
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EN_WORDS = (1200, 2500)
KO_MIN_CHARS = 2000
DIAGNOSTIC_EN_WORDS = (150, 300)
DIAGNOSTIC_KO_CHARS = (300, 1200)
QUIZ_QUESTIONS = (6, 10)
DIAGNOSTIC_QUESTIONS = (10, 15)
QUIZ_MIN_TYPES = 4
DIAGNOSTIC_MIN_TYPES = 5
MIN_TAGGED_MISCONCEPTIONS = 2

_cache: dict[tuple[str, str], ModuleFile] = {}


def module(stem: str, lang: str) -> ModuleFile:
    path = COURSE / f"{stem}.{lang}.md"
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} does not exist (yet)")
    key = (stem, lang)
    if key not in _cache:
        _cache[key] = read_module(path)
    return _cache[key]


def where(mod: ModuleFile, line: int | None = None) -> str:
    rel = mod.path.relative_to(ROOT)
    return f"{rel}:{line}" if line else str(rel)


every_file = pytest.mark.parametrize("stem,lang", [(m, lang) for m in MODULES for lang in LANGS])
content_file = pytest.mark.parametrize("stem,lang", [(m, lang) for m in CONTENT_MODULES for lang in LANGS])
every_module = pytest.mark.parametrize("stem", MODULES)


# --- docs/curriculum.md -------------------------------------------------------------------------------------

def doc_section(heading_word: str) -> list[str]:
    """Lines of the level-2 section of docs/curriculum.md whose heading contains ``heading_word``."""
    lines = CURRICULUM_DOC.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("## ") and heading_word in line), None)
    if start is None:
        pytest.fail(f"docs/curriculum.md has no '## ...{heading_word}...' section")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start + 1 : end]


def table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|$", line):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def documented_tags() -> set[str]:
    tags = set()
    for row in table_rows(doc_section("Misconception tags")):
        match = re.fullmatch(r"`([^`]+)`", row[0])
        if match and TAG.match(match.group(1)):
            tags.add(match.group(1))
    return tags


def curriculum_map() -> dict[str, set[str]]:
    """Module file stem -> principle ids the module map gives it."""
    rows = table_rows(doc_section("Module map"))
    header = rows[0]
    principle_columns = [i for i, name in enumerate(header) if "2009" in name or "2024" in name]
    mapping = {}
    for row in rows[1:]:
        stem = next((m.group(1) for cell in row if (m := re.fullmatch(r"`(\d\d[a-z]?-[a-z0-9-]+)`", cell))), None)
        if stem:
            ids = set()
            for i in principle_columns:
                ids |= set(re.findall(r"\b(EP[1-7]|GP|AC[1-8])\b", row[i]))
            mapping[stem] = ids
    return mapping


# --- files and front matter ---------------------------------------------------------------------------------

@every_module
def test_module_exists_in_english_and_korean(stem):
    missing = [f"{stem}.{lang}.md" for lang in LANGS if not (COURSE / f"{stem}.{lang}.md").is_file()]
    assert not missing, f"missing in {COURSE.relative_to(ROOT)}: {missing}"


def test_course_has_no_unexpected_module_files():
    found = {p.name for p in module_files(COURSE)} if COURSE.is_dir() else set()
    expected = {f"{m}.{lang}.md" for m in MODULES for lang in LANGS}
    assert found <= expected, f"module files not in the curriculum: {sorted(found - expected)}"


@every_file
def test_front_matter_has_objectives_principles_and_minutes(stem, lang):
    mod = module(stem, lang)
    meta = mod.meta
    unknown_keys = sorted(set(meta) - FRONT_MATTER_KEYS)
    assert not unknown_keys, f"{where(mod)}: unknown keys {unknown_keys}"
    for key in ("title", "summary"):
        assert isinstance(meta.get(key), str) and meta[key].strip(), f"{where(mod)}: {key} missing"
    minutes = meta.get("minutes")
    assert isinstance(minutes, int) and not isinstance(minutes, bool) and minutes > 0, \
        f"{where(mod)}: minutes must be a positive whole number, got {minutes!r}"
    objectives = meta.get("objectives")
    assert isinstance(objectives, list) and all(isinstance(o, str) and o.strip() for o in objectives), \
        f"{where(mod)}: objectives must be a list of sentences"
    if not mod.is_diagnostic:
        assert 3 <= len(objectives) <= 5, f"{where(mod)}: {len(objectives)} objectives, want 3-5"
    principles = meta.get("principles")
    assert isinstance(principles, list) and principles, f"{where(mod)}: principles missing"
    unknown = [p for p in principles if p not in PRINCIPLES]
    assert not unknown, f"{where(mod)}: unknown principle ids {unknown}"


@every_module
def test_both_languages_share_principles_minutes_and_quiz_settings(stem):
    en, ko = module(stem, "en"), module(stem, "ko")
    for key in ("principles", "minutes", "quiz", "prerequisites", "formerly"):
        assert en.meta.get(key) == ko.meta.get(key), f"{stem}: '{key}' differs between en and ko"
    assert len(en.meta.get("objectives") or []) == len(ko.meta.get("objectives") or []), \
        f"{stem}: en and ko have a different number of objectives"


# --- module text ---------------------------------------------------------------------------------------

@every_file
def test_reading_text_has_the_planned_length(stem, lang):
    mod = module(stem, lang)
    if lang == "en":
        low, high = DIAGNOSTIC_EN_WORDS if mod.is_diagnostic else EN_WORDS
        words = word_count(mod.body)
        assert low <= words <= high, f"{where(mod)}: body has {words} words, want {low}-{high}"
    else:
        chars = char_count_without_spaces(mod.body)
        low, high = DIAGNOSTIC_KO_CHARS if mod.is_diagnostic else (KO_MIN_CHARS, None)
        assert chars >= low and (high is None or chars <= high), \
            f"{where(mod)}: body has {chars} characters without spaces, want {low}-{high or ''}"


def body_lines(mod: ModuleFile) -> list[str]:
    return prose(mod.body).split("\n")


@content_file
def test_module_has_a_chart(stem, lang):
    mod = module(stem, lang)
    body_charts = [c for c in charts(mod) if c[0] < (mod.quiz_first_line or 10**9)]
    assert body_charts, f"{where(mod)}: no ```chart block in the module text"


@content_file
def test_module_has_a_definition_list_glossary(stem, lang):
    mod = module(stem, lang)
    lines = body_lines(mod)
    terms = [
        i for i, line in enumerate(lines)
        if re.match(r"^:\s+\S", line) and any(prev.strip() for prev in lines[max(0, i - 2):i])
    ]
    assert terms, f"{where(mod)}: no definition list (a term line followed by ':   definition')"


@content_file
def test_module_has_a_sources_section_with_footnotes(stem, lang):
    mod = module(stem, lang)
    text = prose(mod.body)
    assert re.search(r"(?im)^#{2,3}\s+.*(sources|references|출처|참고\s?문헌)", text), \
        f"{where(mod)}: no Sources section (## Sources / ## 출처)"
    definitions = set(re.findall(r"(?m)^\[\^([^\]\s]+)\]:", text))
    references = set(re.findall(r"\[\^([^\]\s]+)\](?!:)", text))
    assert definitions, f"{where(mod)}: no footnotes ([^1]: ...) for the sources"
    undefined, uncited = sorted(references - definitions), sorted(definitions - references)
    assert not undefined, f"{where(mod)}: footnotes used but not defined: {undefined}"
    assert not uncited, f"{where(mod)}: footnotes defined but never cited: {uncited}"


ADMONITION = re.compile(r'^!!!\s+(?P<type>[\w-]+)(?:\s+"(?P<title>[^"]*)")?')
ACTIVITY = re.compile(r"(?i)activit|try (it|this)|hands-on|investigat|활동|탐구|실습|해\s?보")


@content_file
def test_module_has_an_activity_admonition(stem, lang):
    mod = module(stem, lang)
    admonitions = [m for line in body_lines(mod) if (m := ADMONITION.match(line))]
    activities = [
        m for m in admonitions if m["type"].lower() == "activity" or ACTIVITY.search(m["title"] or "")
    ]
    assert activities, (
        f"{where(mod)}: no activity admonition (e.g. !!! tip \"Activity: ...\" / !!! tip \"활동: ...\"); "
        f"admonitions found: {[m.group(0) for m in admonitions]}"
    )


@every_file
def test_charts_name_shipped_datasets_and_columns(stem, lang):
    mod = module(stem, lang)
    for line, spec in charts(mod):
        dataset = spec.get("dataset")
        header = csv_header(str(dataset))
        here = where(mod, line)
        assert header is not None, f"{here}: dataset {dataset!r} is not in {DATA.relative_to(ROOT)}"
        assert (DATA / f"{dataset}.yml").is_file(), f"{here}: dataset {dataset!r} has no .yml sidecar"
        for axis in ("x", "y"):
            columns = spec.get(axis)
            for column in columns if isinstance(columns, list) else [columns]:
                assert column in header, f"{here}: {axis}={column!r} is not a column of {dataset} {header}"


@pytest.mark.parametrize("csv", sorted(p.name for p in DATA.glob("*.csv")))
def test_shipped_dataset_has_a_readable_sidecar(csv):
    sidecar = DATA / csv.replace(".csv", ".yml")
    assert sidecar.is_file(), f"{sidecar.relative_to(ROOT)} is missing"
    try:
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        pytest.fail(f"{sidecar.relative_to(ROOT)}: invalid YAML: {err}".replace("\n", " "))
    assert isinstance(meta, dict) and meta.get("title") and meta.get("source"), \
        f"{sidecar.relative_to(ROOT)}: needs at least title and source"


# --- quizzes ------------------------------------------------------------------------------------------------

@every_file
def test_quiz_has_the_planned_size_and_variety(stem, lang):
    mod = module(stem, lang)
    assert mod.quiz_text is not None, f"{where(mod)}: no '<!-- quiz -->' section"
    for label, questions in mod.forms.items():  # each parallel form is a whole quiz on its own
        here = where(mod) + (f" form {label}" if label else "")
        low, high = DIAGNOSTIC_QUESTIONS if mod.is_diagnostic else QUIZ_QUESTIONS
        assert low <= len(questions) <= high, f"{here}: {len(questions)} questions, want {low}-{high}"
        types = {q.type for q in questions} - {None, "mixed"}
        want = DIAGNOSTIC_MIN_TYPES if mod.is_diagnostic else QUIZ_MIN_TYPES
        assert len(types) >= want, f"{here}: {len(types)} types {sorted(types)}, want at least {want}"


@every_file
def test_quiz_questions_are_well_formed(stem, lang):
    mod = module(stem, lang)
    problems = []
    ids = [q.id for q in mod.questions]
    for q in mod.questions:
        here = where(mod, q.line)
        if not q.id:
            problems.append(f"{here}: no explicit id (needed to pair en and ko and keep results over edits)")
        if q.type is None:
            problems.append(f"{here}: question has no answers")
        elif q.type == "mixed":
            problems.append(f"{here}: mixed answer kinds {sorted(q.kinds)}")
        elif q.type == "single" and sum(c.correct for c in q.choices) != 1:
            problems.append(f"{here}: single choice needs exactly one (x)")
        elif q.type == "multiple" and not any(c.correct for c in q.choices):
            problems.append(f"{here}: multiple response needs at least one [x]")
        elif q.type == "true_false" and q.keys["answer"].strip().lower() not in ("true", "false"):
            problems.append(f"{here}: answer must be true or false")
        elif q.type == "numeric":
            try:
                parse_number(q.keys["number"])
            except ValueError as err:
                problems.append(f"{here}: {err}")
        elif q.type in ("matching", "ordering") and len(q.pairs or q.order_items) < 2:
            problems.append(f"{here}: {q.type} needs at least two items")
        for c in q.choices:
            if not c.text:
                problems.append(f"{where(mod, c.line)}: empty choice")
            if c.correct and c.misconception:
                problems.append(f"{where(mod, c.line)}: misconception tag on a correct choice")
        if q.keys.get("misconception") and q.type not in ("true_false", "numeric", "short_text"):
            problems.append(f"{here}: question-level misconception is for true/false, numeric and text")
    duplicates = sorted({i for i in ids if i and ids.count(i) > 1})
    if duplicates:
        problems.append(f"{where(mod)}: duplicate question ids {duplicates}")
    assert not problems, "\n".join(problems)


@every_file
def test_misconception_tags_are_documented_in_the_curriculum(stem, lang):
    mod = module(stem, lang)
    known = documented_tags()
    undocumented = [
        (q.id or q.heading, tag) for q in mod.questions for tag in q.misconception_tags if tag not in known
    ]
    assert not undocumented, f"{where(mod)}: tags missing from docs/curriculum.md: {undocumented}"


@every_file
def test_quiz_targets_misconceptions(stem, lang):
    mod = module(stem, lang)
    tagged = sum(len(q.misconception_tags) for q in mod.questions)
    assert tagged >= MIN_TAGGED_MISCONCEPTIONS, \
        f"{where(mod)}: {tagged} answers tagged with a misconception, want {MIN_TAGGED_MISCONCEPTIONS}+"


@every_module
def test_both_languages_ask_the_same_questions_with_the_same_answers(stem):
    en, ko = module(stem, "en"), module(stem, "ko")
    assert [q.id for q in en.questions] == [q.id for q in ko.questions], f"{stem}: question ids/order differ"
    differences = [
        f"{q_en.id}: en {q_en.answer_signature()} vs ko {q_ko.answer_signature()}"
        for q_en, q_ko in zip(en.questions, ko.questions, strict=True)
        if q_en.answer_signature() != q_ko.answer_signature()
        or q_en.keys.get("points", "1") != q_ko.keys.get("points", "1")
    ]
    assert not differences, f"{stem}: answers differ between languages:\n" + "\n".join(differences)


@every_module
def test_both_languages_tag_the_same_misconceptions(stem):
    en, ko = module(stem, "en"), module(stem, "ko")
    differences = [
        f"{q_en.id}: en {q_en.misconception_tags} vs ko {q_ko.misconception_tags}"
        for q_en, q_ko in zip(en.questions, ko.questions, strict=False)
        if q_en.misconception_tags != q_ko.misconception_tags
    ]
    assert not differences, f"{stem}: misconception tags differ between languages:\n" + "\n".join(differences)


# --- the diagnostic ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_diagnostic_gives_nothing_away_and_does_not_grade(lang):
    mod = module(DIAGNOSTIC, lang)
    assert mod.meta.get("quiz") == {
        "pass_mark": 0,
        "attempts": "unlimited",
        "shuffle_questions": False,
        "shuffle_choices": True,
        "reveal": "never",
        "partial_credit": True,
        # students see nothing but "sent" until the teacher releases results (issue 11)
        "review": dict.fromkeys(("correctness", "points", "answers", "feedback", "score"), "after_release"),
    }


@pytest.mark.parametrize("lang", LANGS)
def test_diagnostic_covers_every_foundation_principle(lang):
    mod = module(DIAGNOSTIC, lang)
    assert mod.meta["principles"] == FOUNDATION_PRINCIPLES
    for label, questions in mod.forms.items():
        covered = set()
        for q in questions:
            match = re.match(r"^diag-(ep[1-7]|gp)-[a-z0-9-]+$", q.id or "")
            assert match, f"{where(mod, q.line)}: diagnostic ids are diag-<principle>-<topic>, got {q.id!r}"
            covered.add(match.group(1).upper())
        missing = sorted(set(FOUNDATION_PRINCIPLES) - covered)
        assert not missing, f"{where(mod)} form {label}: no question for {missing}"


def principle_counts(questions) -> dict[str, int]:
    counts: dict[str, int] = {}
    for q in questions:
        principle = (q.id or "").split("-")[1]
        counts[principle] = counts.get(principle, 0) + 1
    return counts


@pytest.mark.parametrize("lang", LANGS)
def test_diagnostic_has_two_parallel_forms_on_the_same_ideas(lang):
    """Form A before, form B after (or crossed over): 15 different items each, same principles and misconceptions."""
    mod = module(DIAGNOSTIC, lang)
    forms = mod.forms
    assert sorted(forms) == ["A", "B"], f"{where(mod)}: forms {sorted(forms)}, want A and B"
    a, b = forms["A"], forms["B"]
    assert len(a) == len(b) == 15
    assert not {q.id for q in a} & {q.id for q in b}, "the forms share question ids"
    assert principle_counts(a) == principle_counts(b), "the forms weight the principles differently"
    tags_a = {t for q in a for t in q.misconception_tags}
    tags_b = {t for q in b for t in q.misconception_tags}
    assert tags_a == tags_b, f"only in A: {sorted(tags_a - tags_b)}, only in B: {sorted(tags_b - tags_a)}"


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _item_text(q) -> str:
    """What a student reads: the question, its choices, pairs or items (not the feedback)."""
    parts = [q.heading, *(c.text for c in q.choices), *(f"{a} {b}" for a, b in q.pairs), *q.order_items]
    return _words(" ".join(parts))


def test_no_diagnostic_item_repeats_a_module_quiz_item():
    """Neither form may reuse a module quiz question: the after-check would then measure memory of the quiz."""
    import difflib

    module_items = [(stem, q) for stem in CONTENT_MODULES for q in module(stem, "en").questions]
    repeats = []
    for q in module(DIAGNOSTIC, "en").questions:
        for stem, m in module_items:
            ratio = difflib.SequenceMatcher(None, _item_text(q), _item_text(m)).ratio()
            if ratio >= 0.6:
                repeats.append(f"{q.id} ~ {stem} {m.id} ({ratio:.2f})")
    assert not repeats, "diagnostic items too close to module quiz items:\n" + "\n".join(repeats)


# --- docs/curriculum.md agrees with the modules -----------------------------------------------------------

def test_curriculum_lists_every_module():
    assert sorted(curriculum_map()) == MODULES


@every_module
def test_curriculum_map_matches_module_front_matter(stem):
    mod = module(stem, "en")
    mapped = curriculum_map().get(stem)
    assert mapped is not None, f"docs/curriculum.md: no row for {stem}"
    declared = set(mod.meta["principles"])
    assert mapped == declared, (
        f"docs/curriculum.md row {stem} says {sorted(mapped)}, front matter says {sorted(declared)}"
    )


def test_curriculum_coverage_table_matches_module_front_matter():
    documented = {}
    for row in table_rows(doc_section("Coverage by principle"))[1:]:
        documented[row[0]] = set(re.findall(r"\b\d\d[a-z]?\b", row[1]))
    actual = {p: set() for p in sorted(PRINCIPLES)}
    for stem in MODULES:
        for principle in module(stem, "en").meta["principles"]:
            actual.setdefault(principle, set()).add(stem.split("-")[0])
    assert documented == actual


# --- the app's own linter ---------------------------------------------------------------------------------

def test_app_linter_reports_no_error_or_warning_for_courses():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from app.content import lint_course_tree

    problems = [str(p) for p in lint_course_tree(COURSES)]
    assert not problems, "lint_course_tree(courses/) reports:\n" + "\n".join(problems)


@pytest.mark.parametrize("stem", CONTENT_MODULES)
@pytest.mark.parametrize("lang", LANGS)
def test_every_question_links_to_the_section_that_teaches_it_and_the_text_has_a_check(stem, lang):
    mod = module(stem, lang)
    quiz_lines = mod.quiz_text.split("\n")
    questions = sum(line.startswith("### ") for line in quiz_lines)
    sections = sum(line.startswith("section: ") for line in quiz_lines)
    assert sections == questions, f"{where(mod)}: {sections} section: lines for {questions} questions"
    assert "```check" in mod.body, f"{where(mod)}: no inline ```check block in the text"
