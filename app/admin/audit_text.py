"""The audit log's details as sentences an admin can read, in the reader's language.

Entries keep their details as data (``before``, ``after``, ``lang``, ``note``…); this turns the known ones into
a sentence per action and shows any other key as "key: value", so nothing recorded is ever hidden.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin.forms import ROLE_LABELS
from app.models import AuditEntry, Role

LANGUAGE_WORDS = {"en": _l("English"), "ko": _l("Korean")}


def _role(value: Any) -> str:
    try:
        return str(ROLE_LABELS[Role(value)])
    except ValueError:
        return str(value)


def _language(value: Any) -> str:
    return str(LANGUAGE_WORDS.get(value, value))


def _size(value: Any) -> str:
    try:
        size = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(size / 1024, 0.1):.1f} kB"


def _published(details: Mapping[str, Any]) -> str:
    note = details.get("note")
    if note:
        return _("The %(language)s version went live. Note: “%(note)s”.", language=_language(details.get("lang")),
                 note=note)
    return _("The %(language)s version went live.", language=_language(details.get("lang")))


def _rolled_back(details: Mapping[str, Any]) -> str:
    note = str(details.get("note") or "")
    if note.startswith("#") and note[1:].isdigit():
        return _("Version #%(id)d of the %(language)s text is live again.", id=int(note[1:]),
                 language=_language(details.get("lang")))
    return _("An earlier %(language)s version is live again.", language=_language(details.get("lang")))


def _imported(details: Mapping[str, Any]) -> str:
    what = _("A new course.") if details.get("created") else _("An existing course was updated.")
    return " ".join([what, _("Texts published: %(published)d; modules archived: %(archived)d.",
                             published=int(details.get("published") or 0),
                             archived=int(details.get("archived") or 0))])


# For each action: the sentence, and the detail keys it tells (any other key is listed after it).
SENTENCES: dict[str, tuple[Callable[[Mapping[str, Any]], str], tuple[str, ...]]] = {
    "user.create": (lambda d: _("Created with the role %(role)s.", role=_role(d.get("role"))), ("role",)),
    "user.role": (lambda d: _("Role changed from %(before)s to %(after)s.", before=_role(d.get("before")),
                              after=_role(d.get("after"))), ("before", "after")),
    "course.create": (lambda d: _("Created with a first module, “%(module)s”, hidden until it is shown.",
                                  module=d.get("module", "")), ("module",)),
    "course.export": (lambda d: _("Downloaded as a zip file of %(size)s.", size=_size(d.get("bytes"))), ("bytes",)),
    "course.import": (_imported, ("created", "published", "archived")),
    "module.draft": (lambda d: _("A draft of the %(language)s version was saved; students do not see it.",
                                 language=_language(d.get("lang"))), ("lang",)),
    "module.publish": (_published, ("lang", "note")),
    "module.rollback": (_rolled_back, ("lang", "note")),
    "module.reorder": (lambda d: _("Moved up, now at position %(n)d.", n=int(d.get("position") or 0))
                       if d.get("direction") == "up" else
                       _("Moved down, now at position %(n)d.", n=int(d.get("position") or 0)),
                       ("direction", "position")),
    "upload.create": (lambda d: _("Image “%(name)s” uploaded (%(size)s).", name=d.get("name", ""),
                                  size=_size(d.get("size"))), ("name", "size")),
}


def audit_sentence(entry: AuditEntry) -> str:
    """What the entry's details say, as a sentence (empty when there are none)."""
    details = entry.details or {}
    told: tuple[str, ...] = ()
    parts: list[str] = []
    if entry.action in SENTENCES:
        sentence, told = SENTENCES[entry.action]
        if any(key in details for key in told) or entry.action in ("module.draft", "module.publish"):
            parts.append(sentence(details))
        else:
            told = ()
    parts += [f"{key}: {value}" for key, value in details.items() if key not in told]
    return " ".join(parts)
