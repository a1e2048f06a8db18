"""Curriculum rules for the Climate System Science course (university year 1), from issue 18.

Reads the files through quizfiles.py, like test_curriculum_rules.py (quizzes by the app's own quiz parser).
Checked for every module in both languages: the planned length, a chart from shipped data, sources, glossary,
activity, an inline check, a misconception-tagged quiz of 8-12 questions of at least four types, every question
linked to a heading of its own module, and English and Korean quizzes with the same ids, answers and tags.
"""
from __future__ import annotations

import re

import pytest
import yaml
from quizfiles import (
    COURSES,
    ROOT,
    ModuleFile,
    char_count_without_spaces,
    charts,
    csv_header,
    fenced_blocks,
    module_files,
    parse_number,
    prose,
    read_module,
    word_count,
)

COURSE = COURSES / "climate-system-science"
LANGS = ("en", "ko")
DIAGNOSTIC = "00-diagnostic"
CONTENT_MODULES = [
    "01-radiative-forcing",
    "02-sensitivity-and-feedbacks",
    "03-carbon-budget",
    "04-paleoclimate",
    "05-models-and-observations",
    "06-decarbonisation-arithmetic",
]
MODULES = [DIAGNOSTIC, *CONTENT_MODULES]
PRINCIPLES = {f"EP{n}" for n in range(1, 8)} | {"GP"} | {f"AC{n}" for n in range(1, 9)}
TAG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

EN_WORDS = (2000, 3500)  # issue 18: each module 2,000-3,500 words
KO_MIN_CHARS = 4000  # Korean text runs at about two characters (without spaces) per English word
DIAGNOSTIC_EN_WORDS = (100, 400)
QUIZ_QUESTIONS = (8, 12)
DIAGNOSTIC_QUESTIONS = (12, 15)
QUIZ_MIN_TYPES = 4

_cache: dict[tuple[str, str], ModuleFile] = {}


def existing(stems: list[str]) -> list[str]:
    """Modules that have been written; a missing module fails test_module_exists_in_english_and_korean."""
    return [s for s in stems if any((COURSE / f"{s}.{lang}.md").is_file() for lang in LANGS)]


def module(stem: str, lang: str) -> ModuleFile:
    path = COURSE / f"{stem}.{lang}.md"
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} does not exist")
    if (stem, lang) not in _cache:
        _cache[(stem, lang)] = read_module(path)
    return _cache[(stem, lang)]


def where(mod: ModuleFile) -> str:
    return str(mod.path.relative_to(ROOT))


def headings(mod: ModuleFile) -> set[str]:
    found = set()
    for line in prose(mod.body).split("\n"):
        match = re.match(r"^#{2,3} +(.+?)\s*(?:\{#[^}]*\})?\s*$", line)
        if match:
            found.add(match.group(1).strip())
    return found


written = existing(MODULES)
written_content = [s for s in written if s != DIAGNOSTIC]
every_file = pytest.mark.parametrize("stem,lang", [(s, lang) for s in written for lang in LANGS])
content_file = pytest.mark.parametrize("stem,lang", [(s, lang) for s in written_content for lang in LANGS])
every_module = pytest.mark.parametrize("stem", written)


def test_course_card_is_a_university_course_in_both_languages():
    card = yaml.safe_load((COURSE / "course.yml").read_text(encoding="utf-8"))
    assert card["level"] == "university"
    assert card["title"]["en"] == "Climate System Science" and card["title"]["ko"].strip()
    assert card["summary"]["en"].strip() and card["summary"]["ko"].strip()
    assert set(card["principles"]) <= PRINCIPLES


@pytest.mark.parametrize("stem", MODULES)
def test_module_exists_in_english_and_korean(stem):
    missing = [f"{stem}.{lang}.md" for lang in LANGS if not (COURSE / f"{stem}.{lang}.md").is_file()]
    if missing and stem not in written:
        pytest.skip(f"{stem} not written yet")
    assert not missing, f"missing: {missing}"


def test_course_has_no_unexpected_module_files():
    found = {p.name for p in module_files(COURSE)}
    assert found <= {f"{m}.{lang}.md" for m in MODULES for lang in LANGS}, sorted(found)


@every_file
def test_front_matter(stem, lang):
    mod = module(stem, lang)
    meta = mod.meta
    for key in ("title", "summary"):
        assert isinstance(meta.get(key), str) and meta[key].strip(), f"{where(mod)}: {key} missing"
    assert isinstance(meta.get("minutes"), int) and meta["minutes"] > 0
    objectives = meta.get("objectives")
    assert isinstance(objectives, list) and objectives
    if stem != DIAGNOSTIC:
        assert 3 <= len(objectives) <= 5, f"{where(mod)}: {len(objectives)} objectives"
    assert meta.get("principles") and set(meta["principles"]) <= PRINCIPLES


@every_module
def test_both_languages_share_settings(stem):
    en, ko = module(stem, "en"), module(stem, "ko")
    for key in ("principles", "minutes", "quiz", "prerequisites"):
        assert en.meta.get(key) == ko.meta.get(key), f"{stem}: {key} differs between en and ko"
    assert len(en.meta["objectives"]) == len(ko.meta["objectives"])


@every_file
def test_reading_text_has_the_planned_length(stem, lang):
    mod = module(stem, lang)
    if lang == "en":
        low, high = DIAGNOSTIC_EN_WORDS if stem == DIAGNOSTIC else EN_WORDS
        words = word_count(mod.body)
        assert low <= words <= high, f"{where(mod)}: {words} words, want {low}-{high}"
    elif stem != DIAGNOSTIC:
        chars = char_count_without_spaces(mod.body)
        assert chars >= KO_MIN_CHARS, f"{where(mod)}: {chars} characters without spaces, want >= {KO_MIN_CHARS}"
        # the Korean text must not be a stub next to a long English one
        english = char_count_without_spaces(module(stem, "en").body)
        assert chars >= 0.45 * english, f"{where(mod)}: {chars} characters against {english} in English"


@content_file
def test_module_teaches_with_charts_a_check_sources_glossary_and_activity(stem, lang):
    mod = module(stem, lang)
    body = mod.body
    body_charts = [c for c in charts(mod) if c[0] < (mod.quiz_first_line or 10**9)]
    assert body_charts, f"{where(mod)}: no chart in the text"
    checks = [b for b in fenced_blocks(body, mod.body_first_line) if b[1] == "check"]
    assert len(checks) >= 1, f"{where(mod)}: no inline ```check block"
    sources = "## Sources" if lang == "en" else "## 출처"
    assert sources in body, f"{where(mod)}: no '{sources}' section"
    text = prose(body)
    cited = set(re.findall(r"\[\^([^\]]+)\](?!:)", text))
    defined = set(re.findall(r"(?m)^\[\^([^\]]+)\]:", text))
    assert cited and cited == defined, f"{where(mod)}: cited {sorted(cited)} vs defined {sorted(defined)}"
    assert re.search(r"(?m)^:   \S", text), f"{where(mod)}: no definition-list glossary"
    activity = '!!! tip "Activity"' if lang == "en" else '!!! tip "활동"'
    assert activity in body, f"{where(mod)}: no activity box"
    assert "worked example" in text.lower() or "예제" in text, f"{where(mod)}: no worked example"


@every_file
def test_charts_use_shipped_data(stem, lang):
    mod = module(stem, lang)
    for line, spec in charts(mod):
        header = csv_header(spec.get("dataset", ""))
        assert header, f"{where(mod)}:{line}: dataset {spec.get('dataset')!r} is not in courses/_data"
        for key in ("x", "y"):
            assert spec.get(key) in header, f"{where(mod)}:{line}: no column {spec.get(key)!r}"


@every_file
def test_quiz_size_types_and_tags(stem, lang):
    mod = module(stem, lang)
    questions = mod.questions
    low, high = DIAGNOSTIC_QUESTIONS if stem == DIAGNOSTIC else QUIZ_QUESTIONS
    assert low <= len(questions) <= high, f"{where(mod)}: {len(questions)} questions, want {low}-{high}"
    types = {q.type for q in questions}
    assert None not in types and "mixed" not in types, f"{where(mod)}: malformed question"
    assert len(types) >= QUIZ_MIN_TYPES, f"{where(mod)}: only {sorted(types)}"
    ids = [q.id for q in questions]
    assert all(ids) and len(set(ids)) == len(ids), f"{where(mod)}: missing or repeated ids"
    tags = [t for q in questions for t in q.misconception_tags]
    assert len(set(tags)) >= 2, f"{where(mod)}: fewer than two misconception tags"
    assert all(TAG.match(t) for t in tags)
    for q in questions:
        for choice in q.choices:
            assert not (choice.correct and choice.misconception), f"{where(mod)}:{choice.line}: tag on a right answer"


@every_file
def test_every_question_is_linked_to_a_section_of_its_module(stem, lang):
    mod = module(stem, lang)
    own = headings(mod)
    for q in mod.questions:
        assert q.section, f"{where(mod)}:{q.line}: question {q.id} has no section:"
        assert q.section in own, f"{where(mod)}:{q.line}: section {q.section!r} is not a heading"


@every_module
def test_both_languages_ask_the_same_questions_with_the_same_answers(stem):
    en, ko = module(stem, "en").questions, module(stem, "ko").questions
    assert [q.id for q in en] == [q.id for q in ko], f"{stem}: question ids differ"
    for a, b in zip(en, ko, strict=True):
        assert a.answer_signature() == b.answer_signature(), f"{stem} {a.id}: answers differ"
        assert sorted(a.misconception_tags) == sorted(b.misconception_tags), f"{stem} {a.id}: tags differ"
        if a.type in ("single", "multiple"):
            assert [c.correct for c in a.choices] == [c.correct for c in b.choices], f"{stem} {a.id}: keys differ"


@every_module
def test_inline_checks_match_between_languages(stem):
    def keys(mod):
        blocks = [b for b in fenced_blocks(mod.body, mod.body_first_line) if b[1] == "check"]
        return [len(re.findall(r"(?m)^- \((x)\)", b[2])) + len(re.findall(r"(?m)^- \( \)", b[2])) for b in blocks]

    assert keys(module(stem, "en")) == keys(module(stem, "ko"))


@content_file
def test_each_module_has_a_numeric_data_exercise(stem, lang):
    mod = module(stem, lang)
    exercises = [q for q in mod.questions if "-data-" in (q.id or "")]
    assert any(q.type == "numeric" for q in exercises), f"{where(mod)}: no numeric data exercise (id ...-data-...)"
    for q in exercises:
        low, high = parse_number(q.keys["number"])
        assert low < high, f"{where(mod)}: data exercise {q.id} needs a tolerance"


def test_app_linter_is_clean_for_the_course():
    from app.content import lint_course_tree

    problems = [str(p) for p in lint_course_tree(COURSE)]
    problems += [str(p) for p in lint_course_tree(COURSES) if "_data" in str(p)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_diagnostic_gives_nothing_away_and_covers_every_module(lang):
    mod = module(DIAGNOSTIC, lang)
    quiz = mod.meta["quiz"]
    assert quiz["pass_mark"] == 0 and quiz["reveal"] == "never" and quiz["shuffle_questions"] is False
    assert quiz["attempts"] == "unlimited", "students take the same check before and after the course"
    # `reveal: never` alone still shows correctness and the score right after sending (issue 11's mapping), which
    # would tell students which items they missed before they sit the same check again
    assert quiz.get("review") == dict.fromkeys(("correctness", "points", "answers", "feedback", "score"),
                                               "after_release"), f"{where(mod)}: results shown before release"
    ids = [q.id for q in mod.questions]
    for number in range(1, len(CONTENT_MODULES) + 1):
        assert any(i.startswith(f"diag-m{number}-") for i in ids), f"{where(mod)}: no item for module {number}"
    # the text links every content module, so the result page's section links lead to the module that teaches it
    for stem in CONTENT_MODULES:
        assert f"({stem}.{lang}.md)" in mod.body, f"{where(mod)}: no link to {stem}"
    assert len({q.type for q in mod.questions}) >= 5, f"{where(mod)}: fewer than five question types"


def test_misconception_catalogue_names_every_tag_in_both_languages():
    """courses/climate-system-science/misconceptions.yml, in the format of the assessment issue's catalogue."""
    catalogue = yaml.safe_load((COURSE / "misconceptions.yml").read_text(encoding="utf-8"))
    used = {t for stem in written for lang in LANGS for q in module(stem, lang).questions for t in q.misconception_tags}
    used |= {t for stem in written for lang in LANGS
             for t in re.findall(r"(?m)^\s+misconception:\s*(\S+)", module(stem, lang).body)}
    assert used <= set(catalogue), f"tags without a catalogue entry: {sorted(used - set(catalogue))}"
    assert set(catalogue) <= used, f"catalogue entries no quiz uses: {sorted(set(catalogue) - used)}"
    slugs = {module(stem, "en").slug: stem for stem in written}
    for tag, entry in catalogue.items():
        assert entry["principle"] in PRINCIPLES, tag
        for key in ("name", "description"):
            assert set(entry[key]) == set(LANGS) and all(entry[key][lang].strip() for lang in LANGS), (tag, key)
        where_taught = entry["addressed"]
        assert where_taught["module"] in slugs, (tag, where_taught)
        assert where_taught["section"] in headings(module(slugs[where_taught["module"]], "en")), (tag, where_taught)
