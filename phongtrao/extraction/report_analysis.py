"""A whole report read as text: its year, the unit it speaks for, and the figures that are its own.

Still no database: the unit is found here as a name ("tỉnh Bình Định"); `selectors.py` turns
the name into a unit of the units in force that year.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from phongtrao.core.text import search_key
from phongtrao.extraction.figures import SPAN_OF_YEARS, Figure, find_figures, unit_names_in
from phongtrao.extraction.numbers import matching_text

# Cities run by the centre are provinces; every other "thành phố" is a district-level city.
CENTRAL_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}
LEVELS = {"tỉnh": 0, "huyện": 1, "quận": 1, "thị xã": 1, "xã": 2, "phường": 2, "thị trấn": 2}
LEVELS["đặc khu"] = 2
_TYPES = r"tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|đặc khu"
_NAME = r"[^\W\d_][\w]*(?:[ \t]+(?:-[ \t]+)?[^\W\d_][\w]*){0,3}|\d{1,2}"
_AUTHORITY = re.compile(
    rf"\b(?:công an|ubnd|ủy ban nhân dân|ban chỉ đạo[^\n,]*?|đảng ủy)"
    rf"[ \t]+({_TYPES})[ \t]+({_NAME})",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"([^\W\d][^\n,]{1,40}),\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(\d{4})"
)
# "từ năm 2016 đến nay" starts a span: not the report's year.
_TITLE_YEAR = re.compile(
    r"(?<!tháng \d )(?<!tháng \d\d )(?<!từ )\bnăm (\d{4})\b(?!\s*(?:đến|tới|-|–))"
)
# The publication line of an article: "THỨ BA, 19/10/2021 10:27:43", "date 2025-09-16".
_PUBLISHED = re.compile(
    r"\b(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật),?\s*\d{1,2}/\d{1,2}/(\d{4})\b"
    r"|\b((?:19|20)\d\d)-(?:0?[1-9]|1[0-2])(?:-\d{1,2})?\b"
)
_ANY_YEAR = re.compile(r"\bnăm (\d{4})\b|\b\d{1,2}/\d{1,2}/(\d{4})\b|\btháng \d{1,2}/(\d{4})\b")
# The body a text speaks for without naming it: "toàn tỉnh", "Công an tỉnh", "trên địa bàn
# tỉnh" (a capitalised word after the type names it, and then it is a mention like any other).
_UNNAMED = re.compile(
    r"\b(?:toàn|trên địa bàn|trong|công an|ubnd|ủy ban nhân dân|hđnd|ban chỉ đạo(?: \d+)?)"
    r"[ \t]+(tỉnh|huyện|thị xã|quận|xã|phường|thị trấn)\b",
    re.IGNORECASE,
)
# A place named without its type ("Tại Thái Nguyên, …", "(gồm Tam Kỳ, Thăng Bình, …)"): two to
# four capitalised words after a word that introduces a place, and the list going on from them.
_PLACE_LEAD = re.compile(r"\b(?:tại|ở|gồm|là)[ \t]+", re.IGNORECASE)
_PLACE_WORD = re.compile(r"[ \t]*([^\W\d_][\w]*)")
_PLACE_SEPARATOR = re.compile(r"[ \t]*(?:,|và)[ \t]*")
# A national conference in the lead ("Bộ Công an tổ chức Hội nghị …", "Hội nghị trực tuyến toàn
# quốc …"): the text reports the whole country, and its figures are national except where a
# paragraph names a place of its own ("Tại Thái Nguyên, …").
_NATIONAL_EVENT = re.compile(
    r"\bhội nghị (?:trực tuyến )?toàn quốc\b|\bbộ công an tổ chức hội nghị\b"
)
_LOCAL = re.compile(rf"\b(?:toàn|công an|ubnd|ủy ban nhân dân) (?:{_TYPES})\b")
LEAD_LINES = 4
HEADER_LINES = 12
ROUNDING = Decimal("0.15")
TITLE_LINES = 25
# Words that follow a unit's name in running text and are not part of it.
_NAME_STOP = {"đã", "tổ", "và", "cùng", "năm", "có", "được", "với", "trong", "tại", "về"}


@dataclass(frozen=True)
class UnitName:
    type: str  # "tỉnh", "huyện" … in lower case
    name: str  # as written: "Bình Định", "BÌNH ĐỊNH"

    @property
    def key(self) -> str:
        return search_key(self.name)

    @property
    def level(self) -> int:
        if self.type == "thành phố":
            return 0 if self.key in CENTRAL_CITIES else 1
        return LEVELS[self.type]

    def __str__(self) -> str:
        return f"{self.type} {self.name}"


@dataclass
class Analysis:
    text: str
    year: int | None
    unit: UnitName | None
    # Every unit named in the report, in order of first mention: clues for telling apart
    # communes of the same name ("Xã Cẩm Thành" exists in several provinces).
    named_units: list[UnitName] = field(default_factory=list)
    values: list[Figure] = field(default_factory=list)
    unmatched: list[Figure] = field(default_factory=list)
    # Without `unit`: the type of the body the text speaks for without naming it ("toàn tỉnh"),
    # and the places it names without their type ("Tại Thái Nguyên"); the unit is then the one
    # of that type holding the places the text names (`selectors.unit_resolve`).
    speaks_for: str | None = None
    places: list[str] = field(default_factory=list)


def _unit_name(type_: str, name: str) -> UnitName:
    """Keep the capitalised words of a name: "Tuy Phước duy trì" -> "Tuy Phước"."""
    words = []
    for word in name.split():
        if word != "-" and not (word[0].isupper() or word.isdigit()):
            break
        words.append(word)
    while words and (words[-1] == "-" or words[-1].lower() in _NAME_STOP):
        words.pop()
    return UnitName(type_.lower(), " ".join(words))


def _lines(text: str, count: int) -> str:
    return "\n".join([line for line in text.splitlines() if line.strip()][:count])


def report_year(text: str, today: date | None = None) -> int | None:
    """The title's "năm 2019", else the place and date line, else the year most often named."""
    last = (today or timezone.localdate()).year
    low = matching_text(text)
    for match in _TITLE_YEAR.finditer(_lines(low, TITLE_LINES)):
        if 1945 < int(match.group(1)) <= last:
            return int(match.group(1))
    date_line = _DATE_LINE.search(low)
    if date_line:
        return int(date_line.group(2))
    published = _PUBLISHED.search(_lines(low, HEADER_LINES))
    if published and 1945 < int(year := published.group(1) or published.group(2)) <= last:
        return int(year)
    years = Counter(
        int(y) for groups in _ANY_YEAR.findall(low) for y in groups if y and 2000 <= int(y) <= last
    )
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))


def _same_unit(one: UnitName, other: UnitName) -> bool:
    """The same unit, one name running on into the words after it: "tỉnh Bình Dương Võ Văn"
    (a person's name after the unit's), "phường Chợ Quán - TP" (its city after a dash)."""
    if one.type != other.type:
        return False
    short, long = sorted((one.key, other.key), key=len)
    return long == short or long.startswith(short + " ")


def _shortest_alias(unit: UnitName, named: list[UnitName]) -> UnitName:
    """The name as the text writes it alone elsewhere, when it does."""
    aliases = [u for u in named if _same_unit(u, unit) and len(u.key) <= len(unit.key)]
    return min(aliases, key=lambda u: len(u.key), default=unit)


def report_unit(text: str) -> tuple[UnitName | None, list[UnitName]]:
    unit, named = _report_unit(text)
    return (_shortest_alias(unit, named) if unit else None), named


def speaks_for(text: str) -> str | None:
    """The type of the body a text speaks for without naming it, the one it says most often:
    "Công an tỉnh …, toàn tỉnh đã …" speaks for a province it leaves unnamed."""
    types = Counter()
    for match in _UNNAMED.finditer(text):
        following = _PLACE_WORD.match(text, match.end())
        if not (following and following.group(1)[0].isupper()):
            types[match.group(1).lower()] += 1
    if not types:
        return None
    return min(types, key=lambda t: (-types[t], LEVELS.get(t, 0)))


def bare_places(text: str) -> list[str]:
    """Places named without their type after "tại", "ở", "gồm", "là", and the lists they open:
    "Tại Thái Nguyên", "(gồm Tam Kỳ, Thăng Bình, Duy Xuyên)"; in order, each once."""
    places: dict[str, str] = {}
    for lead in _PLACE_LEAD.finditer(text):
        position = lead.end()
        while name_end := _capitalised(text, position):
            name, position = name_end
            places.setdefault(search_key(name), name)
            separator = _PLACE_SEPARATOR.match(text, position)
            if not separator:
                break
            position = separator.end()
    return list(places.values())


def _capitalised(text: str, position: int) -> tuple[str, int] | None:
    """Two to four capitalised words at `position` (a place's name), and where they end."""
    words, end = [], position
    while len(words) < 4 and (word := _PLACE_WORD.match(text, end)) and word.group(1)[0].isupper():
        words.append(word.group(1))
        end = word.end()
    return (" ".join(words), end) if len(words) >= 2 else None


def _report_unit(text: str) -> tuple[UnitName | None, list[UnitName]]:
    """The unit the report speaks for, and every unit it names.

    The header names the issuing body last ("CÔNG AN HUYỆN NGỌC HỒI / CÔNG AN THỊ TRẤN PLEI
    KẦN"); without a header, the first body that acts ("Công an tỉnh Bình Định tổ chức …");
    then, in a text speaking for a body it leaves unnamed ("toàn tỉnh"), a unit of that type
    it names, else none (a place named in passing is not the subject); last, the unit it names
    most often.
    """
    named: dict[tuple[str, str], UnitName] = {}
    mentions: Counter[tuple[str, str]] = Counter()
    for type_, name in unit_names_in(text, 0, len(text)):
        unit = _unit_name(type_, name)
        if unit.name and unit.name[0].isupper():
            named.setdefault((unit.type, unit.key), unit)
            mentions[(unit.type, unit.key)] += 1
    header = []
    for line in _lines(text, HEADER_LINES).splitlines():
        match = _AUTHORITY.match(line.strip())
        # A header line is the body's name alone, not a sentence that mentions it.
        if match and len(line.strip()) <= len(match.group()) + 3:
            header.append(_unit_name(*match.groups()))
    header = [u for u in header if u.name]
    if header:
        return max(header, key=lambda u: u.level), list(named.values())
    for match in _AUTHORITY.finditer(text):
        unit = _unit_name(*match.groups())
        if unit.name and unit.name[0].isupper():
            return unit, list(named.values())
    subject = speaks_for(text)
    if subject:
        of_type = [k for k in mentions if named[k].level == UnitName(subject, "").level]
        if not of_type:
            return None, list(named.values())
        mentions = Counter({k: mentions[k] for k in of_type})
    if mentions:
        return named[max(mentions, key=mentions.__getitem__)], list(named.values())
    return None, list(named.values())


def _of_a_peer(figure: Figure, unit: UnitName | None) -> bool:
    """Named in its sentence as a figure of another unit of the report's level (a neighbour)."""
    if not unit or not figure.units_named:
        return False
    other = _unit_name(*figure.units_named[-1])
    return bool(other.name) and other.level == unit.level and not _same_unit(other, unit)


def _belongs_to_report(figure: Figure, year: int | None, unit: UnitName | None) -> bool:
    if figure.is_part:
        return False
    if year and figure.year and figure.year != year:
        return False
    if unit and figure.units_named:
        other = _unit_name(*figure.units_named[-1])
        if other.name and other.level >= unit.level and not _same_unit(other, unit):
            return False
    return True


def analyse(text: str, today: date | None = None) -> Analysis:
    year = report_year(text, today)
    unit, named = report_unit(text)
    analysis = Analysis(text=text, year=year, unit=unit, named_units=named)
    if unit is None:
        analysis.speaks_for = speaks_for(text)
        analysis.places = bare_places(text)
    figures = find_figures(text)
    _drop_breakdowns(figures)
    _drop_national(text, figures)
    # A headline or a caption repeats a figure the body gives with its context: "10 năm …
    # 2.220 mô hình" in the body makes the headline's "2.220 mô hình" a figure of ten years,
    # and "UBND tỉnh Ninh Thuận ra mắt 397 Tổ" makes a caption's 397 Ninh Thuận's.
    over_years = set()
    for figure in figures:
        if figure.indicator and not _belongs_to_report(figure, year, unit):
            if figure.year == SPAN_OF_YEARS or _of_a_peer(figure, unit):
                over_years.add((figure.indicator, figure.value))
            figure.indicator = None
    for figure in figures:
        repeated = (figure.indicator, figure.value) in over_years
        if repeated and _in_headline_or_caption(text, figure):
            figure.indicator = None
    _drop_roundings(figures)
    for figure in figures:
        (analysis.values if figure.indicator else analysis.unmatched).append(figure)
    return analysis


def _drop_national(text: str, figures: list[Figure]) -> None:
    """A text about a national event ("Bộ Công an tổ chức Hội nghị trực tuyến … toàn quốc")
    gives the country's figures, not a unit's: only those in a paragraph naming a place of
    its own before them ("Tại Thái Nguyên, …", "toàn tỉnh …") may be a unit's."""
    low = matching_text(text)
    if not _NATIONAL_EVENT.search(_lines(low, LEAD_LINES)):
        return
    for figure in figures:
        start = text.rfind("\n", 0, figure.start) + 1
        local = (
            figure.units_named
            or _LOCAL.search(low, start, figure.start)
            or bare_places(text[start : figure.start])
            or any(_unit_name(*named).name for named in unit_names_in(text, start, figure.start))
        )
        if figure.indicator and not local:
            figure.indicator = None


def _in_headline_or_caption(text: str, figure: Figure) -> bool:
    """A figure among the first lines (title, lead) or on a line that is no sentence (a caption,
    a headline of another article): only those repeat a figure the body gives in full; a figure
    of the body that happens to be the same number stays."""
    line_start = text.rfind("\n", 0, figure.start) + 1
    if text.count("\n", 0, line_start) < HEADER_LINES:
        return True
    line_end = text.find("\n", figure.end)
    line = text[line_start : len(text) if line_end < 0 else line_end].rstrip()
    return not line.endswith((".", "!", "?", ":", ";"))


def _drop_roundings(figures: list[Figure]) -> None:
    """ "Hơn 1.100 điểm" in a headline rounds the 1.124 the body gives: keep the exact one."""
    exact: dict[str, list[Figure]] = {}
    for figure in figures:
        if figure.indicator and not figure.approximate:
            exact.setdefault(figure.indicator, []).append(figure)
    for figure in figures:
        if (
            figure.indicator
            and figure.approximate
            and any(
                abs(other.value - figure.value) <= other.value * ROUNDING
                for other in exact.get(figure.indicator, [])
            )
        ):
            figure.indicator = None


def _drop_breakdowns(figures: list[Figure]) -> None:
    """ "612 tin báo, trong đó 420 tin có giá trị": the 420 is a part of the 612, not more of it."""
    for figure in figures:
        if (
            figure.indicator
            and figure.after_breakdown
            and any(
                other.sentence == figure.sentence
                and other.start < figure.start
                and other.indicator == figure.indicator
                and not other.after_breakdown
                for other in figures
            )
        ):
            figure.indicator = None
