"""Every message a user reads has a Vietnamese translation that Django will use."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(ROOT.glob("**/locale/vi/LC_MESSAGES/django.po"))


def test_there_are_vietnamese_catalogues():
    assert ROOT / "locale/vi/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    with path.open("rb") as f:
        catalogue = read_po(f)
    problems = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not (message.string if isinstance(message.string, str) else all(message.string))
        )
    ]
    assert problems == []


ALL_CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))
ENTRY_KEY = re.compile(r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"\n((?:".*"\n)*)', re.M)


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_catalogue_says_a_message_twice(path):
    # Branches' catalogues are merged line by line (.gitattributes); two of them adding one
    # message leaves it twice, which gettext's compiler refuses and Babel silently takes.
    keys = [
        (m["ctx"], m["id"] + m["more"])
        for m in (
            {"ctx": g[0], "id": g[1], "more": g[2]}
            for g in ENTRY_KEY.findall(path.read_text(encoding="utf-8"))
        )
    ]
    assert sorted({key for key in keys if keys.count(key) > 1}) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_is_compiled(path):
    assert path.with_suffix(".mo").exists(), "run `make messages`"


# gettext and its lazy, plural and context forms, as the code calls them.
KEYWORDS = DEFAULT_KEYWORDS | {
    "gettext_lazy": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
}
# `{% translate "…" %}` with a plain string; Django looks it up with % doubled.
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")


def _catalogued() -> set[str]:
    ids = set()
    for path in CATALOGUES:
        with path.open("rb") as f:
            ids |= {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    return ids


def _in_sources() -> list[tuple[str, str]]:
    """(where, message) for every message the code and templates ask to translate."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        for line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.append((f"{path.relative_to(ROOT)}:{line}", msgid))
    for path in sorted(ROOT.rglob("*.html")):
        for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TRANSLATE_TAG.finditer(text):
                found.append((f"{path.relative_to(ROOT)}:{line}", match[2].replace("%", "%%")))
    return found


def test_every_message_in_the_code_and_templates_is_in_a_catalogue():
    # given the messages the sources ask to translate (a string never extracted by
    # `make makemessages` would silently show in English)
    found = _in_sources()
    assert ("reporting/transfer/commit.py", "… and %(n)s more") in {
        (where.rsplit(":", 1)[0], msgid) for where, msgid in found
    }
    # then each is in a catalogue
    catalogued = _catalogued()
    assert [(where, msgid) for where, msgid in found if msgid not in catalogued] == []


def _translations_by_catalogue() -> dict[tuple[str | None, str], dict[str, list[str]]]:
    """(msgctxt, msgid) -> {Vietnamese text: [catalogues that give it]}."""
    found: dict[tuple[str | None, str], dict[str, list[str]]] = {}
    for path in CATALOGUES:
        with path.open("rb") as f:
            for m in read_po(f):
                if not m.id:
                    continue
                msgid = m.id if isinstance(m.id, str) else m.id[0]
                text = m.string if isinstance(m.string, str) else " | ".join(m.string)
                where = str(path.relative_to(ROOT)).split("/locale/")[0]
                found.setdefault((m.context, msgid), {}).setdefault(text, []).append(where)
    return found


def test_no_msgid_is_translated_two_ways():
    # given every Vietnamese catalogue (Django merges them into one, so when two apps translate
    # the same msgid differently only one wins, and the other app shows the wrong word: the
    # award's "Form" read "Biểu mẫu"; a different meaning needs a msgctxt, pgettext)
    found = _translations_by_catalogue()
    assert (None, "Form") in found and ("award", "Form") in found
    # then each (msgctxt, msgid) has one translation
    clashes = [
        f"{context + '|' if context else ''}{msgid}: {texts}"
        for (context, msgid), texts in sorted(found.items(), key=str)
        if len(texts) > 1
    ]
    assert clashes == []
