"""The report's narrative, written from figures alone: pure functions, no database.

The wording is in `wording.py`; this module only decides what is said: numbers that are zero
or missing are left out, a comparison is made where the previous year has a value, and the
sections are numbered as they come so a section left out leaves no gap.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import ModuleType

from phongtrao.core.text import format_number
from phongtrao.documents import wording
from phongtrao.documents.anniversaries import anniversaries, anniversaries_ahead

Number = Decimal | int | None


@dataclass
class Figures:
    """What a report says: this year's and last year's values by indicator code."""

    year: int
    values: dict[str, Number]
    previous: dict[str, Number] = field(default_factory=dict)
    # indicator code -> (name of the child unit with the highest value, that value)
    standouts: dict[str, tuple[str, Number]] = field(default_factory=dict)
    # The year's most attended festival event in the registries: venue, unit, day, participants.
    festival_event: tuple[str, str, date, int] | None = None

    @property
    def previous_year(self) -> int:
        return self.year - 1

    def has_data(self) -> bool:
        return any(_shown(v) for v in self.values.values())


@dataclass
class NarrativeSection:
    heading: str
    paragraphs: list[str]


@dataclass
class Narrative:
    intro: list[str]
    part_results: str
    sections: list[NarrativeSection]
    part_assessment: str
    part_tasks: str
    # The assessment part's lines, left for the author (headings and lines of dots).
    assessment: list[str] = field(default_factory=lambda: [wording.AUTHOR_FIELD])

    def paragraphs(self) -> list[str]:
        """Every line of text in reading order (for previews, tests and the extractor)."""
        lines = [*self.intro, self.part_results]
        for section in self.sections:
            lines += [section.heading, *section.paragraphs]
        return lines

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs())


def _shown(value: Number) -> bool:
    return value is not None and value != 0


def number(value: Number) -> str:
    return format_number(Decimal(value)) if value is not None else ""


def _join(parts: list[str], joiner: str, last_joiner: str) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return joiner.join(parts[:-1]) + last_joiner + parts[-1]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _comparison(clauses: list[wording.Clause], figures: Figures) -> str:
    parts = []
    for clause in clauses:
        before = figures.previous.get(clause.code)
        if before is None:
            continue
        difference = Decimal(figures.values[clause.code]) - Decimal(before)
        template = wording.SAME
        if difference > 0:
            template = wording.INCREASE
        elif difference < 0:
            template = wording.DECREASE
        parts.append(
            template.format(
                label=clause.label,
                n=number(abs(difference)),
                unit=clause.unit,
                previous_year=figures.previous_year,
            )
        )
    if not parts:
        return ""
    return wording.COMPARISON.format(
        previous_year=figures.previous_year, parts=wording.COMPARISON_JOINER.join(parts)
    )


def sentence_write(sentence: wording.Sentence, figures: Figures, **names: str) -> list[str]:
    """The sentence and its comparison; nothing at all when none of its numbers is shown."""
    clauses = [c for c in sentence.clauses if _shown(figures.values.get(c.code))]
    if not clauses:
        return []
    parts = [c.text.format(n=number(figures.values[c.code])) for c in clauses]
    body = _join(parts, sentence.joiner, sentence.last_joiner)
    text = (sentence.opening + body + sentence.ending).format(
        year=figures.year, previous_year=figures.previous_year, **names
    )
    lines = [_capitalise(text)]
    comparison = _comparison(clauses, figures)
    if comparison:
        lines.append(comparison)
    return lines


def _standouts(section: wording.Section, figures: Figures, words: ModuleType = wording) -> str:
    codes = [c.code for s in section.sentences for c in s.clauses]
    parts = []
    for code in codes:
        phrase = words.STANDOUTS.get(code)
        found = figures.standouts.get(code)
        if phrase and found and _shown(found[1]) and _shown(figures.values.get(code)):
            parts.append(phrase.format(name=found[0], n=number(found[1])))
    if not parts:
        return ""
    return wording.STANDOUT.format(parts=wording.STANDOUT_JOINER.join(parts))


def _standout_event(section: wording.Section, figures: Figures, words: ModuleType) -> str:
    """The registries' most attended festival event, in the section that counts the events."""
    template = getattr(words, "STANDOUT_EVENT", "")
    codes = {c.code for s in section.sentences for c in s.clauses}
    if not (template and figures.festival_event and "FESTIVAL_EVENTS" in codes):
        return ""
    if not _shown(figures.values.get("FESTIVAL_EVENTS")):
        return ""
    venue, unit, day, participants = figures.festival_event
    return template.format(venue=venue, unit=unit, day=f"{day.day}/{day.month}/{day.year}",
                           n=number(participants))  # fmt: skip


def anniversary_text(year: int, template: str = wording.ANNIVERSARY) -> str:
    now = anniversaries(year)
    if not now:
        return ""
    text = "kỷ niệm " + " và ".join(a.text for a in now)
    ahead = anniversaries_ahead(year)
    if ahead:
        text += wording.ANNIVERSARY_AHEAD.format(ahead=" và ".join(a.text for a in ahead))
    return template.format(year=year, anniversaries=text)


def narrative_build(
    *, figures: Figures, subject: str, scope: str, words: ModuleType = wording
) -> Narrative:
    """The narrative of a report for `subject` ("Công an tỉnh Quảng Ngãi") over `scope` ("tỉnh").

    `words` is the report kind's wording module (`wording`, `wording_movement`).
    """
    names = {"subject": subject, "scope": scope}
    intro = [words.INTRO.format(year=figures.year, **names)]
    if anniversary := anniversary_text(figures.year, words.ANNIVERSARY):
        intro.append(anniversary)
    sections: list[NarrativeSection] = []
    for section in words.SECTIONS:
        paragraphs = []
        for sentence in section.sentences:
            paragraphs += sentence_write(sentence, figures, **names)
        if not paragraphs:
            continue
        if standout := _standouts(section, figures, words):
            paragraphs.append(standout)
        if event := _standout_event(section, figures, words):
            paragraphs.append(event)
        heading = words.SECTION_HEADING.format(number=len(sections) + 1, heading=section.heading)
        sections.append(NarrativeSection(heading, paragraphs))
    if not sections:
        intro.append(words.NO_DATA.format(year=figures.year))
    return Narrative(
        intro=intro,
        part_results=words.PART_RESULTS,
        sections=sections,
        part_assessment=words.PART_ASSESSMENT,
        part_tasks=words.PART_TASKS.format(next_year=figures.year + 1),
        assessment=list(words.ASSESSMENT),
    )
