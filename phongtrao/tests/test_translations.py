"""Every message a user reads has a Vietnamese translation that Django will use."""

from pathlib import Path

import pytest
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


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_is_compiled(path):
    assert path.with_suffix(".mo").exists(), "run `make messages`"
