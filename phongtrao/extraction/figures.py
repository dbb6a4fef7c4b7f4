"""Finding figures in a report's text and tying each to the indicator it counts.

Pure text work, no database: the same code serves the command line, the review screen and
the benchmark. Precision comes first, so every doubt ends in "unmatched", never in a guess:
a cue too far from its number, a number after "tăng"/"trong đó", a target ("phấn đấu"), a
figure of another year or of a unit other than the report's.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal

from phongtrao.extraction.numbers import Number, find_numbers, matching_text
from phongtrao.extraction.phrases import LABELS, MEMBER_NOUN, MEMBERS, PHRASES, Phrase


@dataclass(frozen=True)
class _Compiled:
    code: str
    noun: re.Pattern[str]
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    reach: int
    short: re.Pattern[str] | None


# A short noun stands for the full one only where the noun phrase ends: "là 4.351 tổ với …",
# not "12 tổ tự quản".
_SHORT_END = r"(?=\s*(?:[,.;:!?)\n]|(?:với|và|gồm|tại|ở|trên)(?!\w)|$))"


def _compile(code: str, phrase: Phrase) -> _Compiled:
    return _Compiled(
        code,
        re.compile(rf"(?:{phrase.noun})(?!\w)"),
        re.compile(rf"\b(?:{phrase.before})(?!\w)") if phrase.before else None,
        re.compile(rf"\s*(?:{phrase.after})(?!\w)") if phrase.after else None,
        phrase.reach,
        re.compile(rf"(?:{phrase.short})(?!\w){_SHORT_END}") if phrase.short else None,
    )


COMPILED = [_compile(code, p) for code, phrases in PHRASES.items() for p in phrases]
# "4.351 tổ với tổng số 13.053 thành viên": the members of the groups counted just before.
_MEMBERS_LINK = re.compile(r"\s*,?\s*(?:với|gồm)\s*")
_MEMBER_NOUN = re.compile(rf"\s*(?:{MEMBER_NOUN})(?!\w)")
_NUMBER_AT = re.compile(
    r"(?:(?:hơn|trên|gần|khoảng|tổng số|tổng cộng)\s+)?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?"
    r"(?:/(?:\d{1,3}(?:\.\d{3})+|\d+))?"
    r"(?:\s+(?:nghìn|ngàn|triệu|tỷ|tỉ))?\s+(?:các loại\s+)?"
)
# "1.042 khu dân cư; 138 xã; 299 cơ quan đạt …": semicolons separate long items.
_DIGIT = re.compile(r"\d")
_SEPARATOR = re.compile(r"\s*(?:,|;|và(?!\w)|cùng(?!\w))\s*")
_KINDS = re.compile(r"\s+các loại(?!\w)")


# A list item is a number and the words naming what it counts. One verb, or one qualifier after
# the list, governs every item, also those no indicator counts: "giao nộp 442 khẩu súng, 19 quả
# lựu đạn và 1.303 viên đạn"; "1.554 khu dân cư, 92 doanh nghiệp và 288 cơ sở giáo dục được công
# nhận đạt chuẩn …". Such an item is a phrase's noun, or up to ITEM_WORDS plain words ending
# where the list goes on; a word of a clause (a negation, a verb's auxiliary, a preposition)
# ends the words first, so "30 hộ không đạt chuẩn" is no item before "đạt chuẩn".
ITEM_WORDS = 6
_ITEM_WORD = re.compile(r"\s*([^\W\d_]+)")
_NOT_IN_ITEM = frozenset(
    {
        "và", "cùng", "với", "không", "chưa", "chẳng", "được", "bị", "đã", "đang", "sẽ", "là",
        "có", "tại", "ở", "trong", "của", "cho", "tăng", "giảm", "đạt", "gồm", "trên", "thu",
    }
)  # fmt: skip
# Where an item ends inside a list: before a separator, or at the end of the span looked at.
_ITEM_END = re.compile(r"\s*(?:[,;]|(?:và|cùng)(?!\w)|$)")


def _known_noun_end(low: str, position: int) -> int | None:
    """Where the longest noun of any phrase starting at `position` ends, if one does."""
    ends = [m.end() for c in COMPILED if (m := c.noun.match(low, position))]
    if not ends:
        return None
    kinds = _KINDS.match(low, max(ends))
    return kinds.end() if kinds else max(ends)


def plain_item_ends(low: str, position: int) -> list[int]:
    """Ends of the first one to ITEM_WORDS words at `position` that may name what is counted."""
    ends = []
    for _ in range(ITEM_WORDS):
        word = _ITEM_WORD.match(low, position)
        if not word or word.group(1) in _NOT_IN_ITEM:
            break
        position = word.end()
        ends.append(position)
    return ends


def _item_end(low: str, position: int, end: int) -> int | None:
    """Where the item whose words start at `position` ends, within `end`: after a phrase's noun,
    or after plain words followed by a separator (or by `end`); the longer of the two."""
    ends = [e for e in plain_item_ends(low, position) if _ITEM_END.match(low, e, end)]
    known = _known_noun_end(low, position)
    if known is not None and known <= end:
        ends.append(known)
    return max(ends, default=None)


def list_items(low: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of "number noun" items between two offsets ("45 tập thể" in a list)."""
    spans = []
    for match in _NUMBER_AT.finditer(low, start, end):
        item_end = _item_end(low, match.end(), end)
        if item_end:
            spans.append((match.start(), item_end))
    return spans


def skip_list(low: str, position: int) -> int:
    """After the last item of the list that goes on at `position` ("…, 125 xã và 30 cơ quan")."""
    while (sep := _SEPARATOR.match(low, position)) and (number := _NUMBER_AT.match(low, sep.end())):
        item_end = _item_end(low, number.end(), len(low))
        if item_end is None:
            break
        position = item_end
    return position


# Clauses end at sentence ends, semicolons, line ends and parentheses: "(tăng 35 mô hình …)"
# is a clause of its own, so "duy trì" before the bracket does not govern the 35.
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|[;\n()]")
_SEMICOLON = re.compile(r";")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
# Words allowed between a cue and its number without breaking the link.
FILLERS = frozenset(
    {
        "được", "đã", "có", "với", "cho", "tổng", "số", "cộng", "hơn", "gần", "trên", "khoảng",
        "và", "thêm", "mới", "tại", "thu", "hút", "lên", "tới", "đến", "là", "trị", "giá", "các",
        "những", "trong", "năm", "toàn", "tỉnh", "huyện", "xã", "phường", "thành", "phố", "đơn",
        "vị", "đạt", "nhân", "dân", "quần", "chúng", "người", "sự", "tham", "gia", "của", "tổ",
        "chức", "dự", "ở",
    }
)  # fmt: skip
# After these the number is a difference or a part of something already counted.
BLOCKERS = re.compile(r"\b(?:tăng|giảm|trong đó|riêng|so với|còn lại|bao gồm|gồm)\b")
# A target or a proposal, not a result.
NOT_DONE = re.compile(r"\b(?:phấn đấu|dự kiến|đề nghị|đề xuất|sẽ|kế hoạch năm \d{4} đề ra)\b")
# Numbers followed by these are ages, durations, anniversaries or times: not worth listing.
NOT_COUNTED = frozenset(
    {"năm", "tuổi", "giờ", "phút", "giây", "ngày", "tháng", "tuần", "lần", "km", "m", "ha", "kg"}
)
_NEXT_WORDS = re.compile(r"\s+([^\W\d_]+)(?:\s+[^\W\d_]+)?")
_YEAR = re.compile(r"\bnăm (\d{4})\b")
_PART = re.compile(r"^\W*(?:riêng|trong đó)\b")
# "…, trong đó 420 tin có giá trị": what follows inside the sentence breaks down a figure before.
_BREAKDOWN = re.compile(r"[,;:]\s*(?:trong đó|riêng)\b")
# Years and dates are not figures: "Năm 2019, …" does not state a total that "Trong đó" splits.
_DATES = re.compile(r"\b(?:năm )?(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
# Figures over several years, or of the whole country, are not the report's own.
_SPAN = re.compile(
    r"\b(?:giai đoạn|từ năm)\s*\d{4}\s*[-–đến ]+\s*(?:năm\s*)?\d{4}|\b\d{4}\s*[-–]\s*\d{4}"
    # "Qua 10 năm …", "sau 5 năm thực hiện phong trào …": a count of several years.
    r"|\b(?:qua|sau|trong)\s+\d+\s+năm\b|\b\d+\s+năm\s+(?:thực hiện|triển khai)\b"
)
# "Xem thêm …" lines tease a related article: their figures are not the report's.
_TEASER = re.compile(r"[\W_]*xem thêm\b")
_LINE_START = re.compile(r"\n")
_NATIONWIDE = re.compile(r"\b(?:cả nước|toàn quốc|các tỉnh, thành phố|toàn lực lượng)\b")
_APPROXIMATE = re.compile(r"(?:hơn|trên|gần|khoảng|xấp xỉ|gần như)\b")
SPAN_OF_YEARS = -1
_WORD = re.compile(r"\w+")


@dataclass
class Figure:
    value: Decimal
    start: int
    end: int
    text: str
    indicator: str | None = None
    # Context the document-level pass needs: the year named in the sentence before the figure,
    # and the unit names in that sentence (lower case, as written).
    year: int | None = None
    units_named: list[tuple[str, str]] = field(default_factory=list)
    is_part: bool = False
    # After "…, trong đó" in its sentence: a part of a figure of the same indicator before it.
    after_breakdown: bool = False
    sentence: int = 0
    approximate: bool = False  # "hơn 1.100": a headline's rounding of a figure given exactly


class _Boundaries:
    """Where every boundary of one kind (sentence, clause, line …) ends in a text, found once;
    the last one before a position by bisection, not by a scan from the start per number."""

    def __init__(self, pattern: re.Pattern[str], low: str):
        self.ends = [match.end() for match in pattern.finditer(low)]

    def last(self, position: int) -> int:
        """The end of the last boundary ending at or before `position` (0 when none does)."""
        index = bisect_right(self.ends, position)
        return self.ends[index - 1] if index else 0


def _gap_is_governed(low: str, gap_start: int, gap_end: int, phrase: _Compiled) -> bool:
    gap = low[gap_start:gap_end]
    if BLOCKERS.search(gap):
        return False
    rest, cursor = "", gap_start
    for item_start, item_end in list_items(low, gap_start, gap_end):
        rest, cursor = rest + low[cursor:item_start] + " ", item_end
    rest += low[cursor:gap_end]
    if re.search(r"\d", rest) or phrase.noun.search(rest):
        return False
    free = [w for w in _WORD.findall(rest) if w not in FILLERS]
    return len(free) <= phrase.reach


@dataclass
class _Choice:
    code: str
    start: int
    end: int


def _after_matches(c: _Compiled, low: str, noun_end: int) -> int | None:
    """End of the `after` words, right after the noun or after the rest of its list."""
    match = c.after.match(low, noun_end)
    if match:
        return match.end()
    skipped = skip_list(low, noun_end)
    if skipped > noun_end and c.after.match(low, skipped):
        return noun_end
    # The last item names something no phrase knows: "…, 695 cơ quan và 288 cơ sở giáo dục
    # được công nhận …"; its words end where the `after` words begin.
    sep = _SEPARATOR.match(low, skipped)
    number = sep and _NUMBER_AT.match(low, sep.end())
    if number and any(c.after.match(low, end) for end in plain_item_ends(low, number.end())):
        return noun_end
    return None


def _short_choice(low: str, number: Number, noun_start: int, clause_start: int) -> _Choice | None:
    """ "Tổ bảo vệ an ninh, trật tự … là 4.351 tổ": a head noun repeating a noun named in full
    before it in the clause counts what that noun names."""
    for c in COMPILED:
        short = c.short and c.short.match(low, noun_start)
        if short and c.noun.search(low, clause_start, number.start):
            return _Choice(c.code, number.start, short.end())
    return None


def _choose(low: str, number: Number, clause_start: int) -> _Choice | None:
    noun_at = re.compile(r"\s+(?:các loại\s+)?").match(low, number.end)
    if not noun_at:
        return None
    matches = [(c, c.noun.match(low, noun_at.end())) for c in COMPILED]
    matches = [(c, m) for c, m in matches if m]
    if not matches:
        return _short_choice(low, number, noun_at.end(), clause_start)
    # The longest noun decides the family: "buổi tọa đàm" is a seminar, not any "buổi".
    longest = max(m.end() for _, m in matches)
    matches = [(c, m) for c, m in matches if m.end() == longest]
    for c, m in matches:
        if c.after and (end := _after_matches(c, low, m.end())) is not None:
            return _Choice(c.code, number.start, end)
    cues = []
    for c, _m in matches:
        if c.before:
            found = list(c.before.finditer(low, clause_start, number.start))
            if found:
                cues.append((found[-1].end(), found[-1].start(), c))
    if cues:
        cue_end, cue_start, c = max(cues, key=lambda cue: (cue[0], -cue[1]))
        if not _gap_is_governed(low, cue_end, number.start, c):
            return None
        adjacent = not list_items(low, cue_end, number.start)
        return _Choice(c.code, cue_start if adjacent else number.start, longest)
    if number.is_word and number.value == 1:
        return None  # "một buổi tuyên truyền" is "a session", not a count of one
    for c, _m in matches:
        if not c.before and not c.after:
            return _Choice(c.code, number.start, longest)
    return None


_NON_SPACE = re.compile(r"\S+")
_UNIT_NAME = re.compile(
    r"\b(tỉnh|thành phố|huyện|quận|thị xã|thị trấn|xã|phường|đặc khu)[ \t]+"
    r"(\w+(?:[ \t]+(?:-[ \t]+)?\w+){0,3})",
    re.IGNORECASE,
)


def unit_names_in(text: str, start: int, end: int) -> list[tuple[str, str]]:
    """Unit names written with capitals ("huyện Tuy Phước"), as (type, name), in order. A name
    ends at its first word without a capital, where the next may begin: "huyện Tuy Phước và
    huyện Sơn Tịnh" names two."""
    names, position = [], start
    while match := _UNIT_NAME.search(text, position, end):
        words, position = [], match.end(1)
        for word in _NON_SPACE.finditer(match.group(2)):
            if not (word.group()[0].isupper() or word.group().isdigit() or word.group() == "-"):
                break
            words.append(word.group())
            position = match.start(2) + word.end()
        if words and words[-1] != "-":
            names.append((match.group(1).lower(), " ".join(words)))
    return names


_LABELS = [
    (code, re.compile(rf"(?:\d+[.)]?\s+)?(?:số\s+)?(?:{label})")) for code, label in LABELS.items()
]
_CELL_NUMBER = re.compile(r"\s*((?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d{1,2})?)\s*")


def _table_figures(text: str, low: str) -> tuple[list[Figure], set[int]]:
    """Rows of tables read from DOCX ("label | 1.240"): the label cell names the indicator."""
    figures, used = [], set()
    for line in re.finditer(r"[^\n]*\|[^\n]*", low):
        cells, offset = [], line.start()
        for cell in line.group().split("|"):
            cells.append((offset, cell))
            offset += len(cell) + 1
        for index, (_, cell) in enumerate(cells[:-1]):
            code = next((c for c, label in _LABELS if label.fullmatch(cell.strip())), None)
            if not code:
                continue
            start, value_cell = cells[index + 1]
            number = _CELL_NUMBER.fullmatch(value_cell)
            if not number:
                continue
            whole, _, decimals = number.group(1).partition(",")
            value = Decimal(whole.replace(".", "") + (f".{decimals}" if decimals else ""))
            end = start + number.end(1)
            used.add(start + number.start(1))
            label_start = cells[index][0] + len(cell) - len(cell.lstrip())
            figures.append(
                Figure(value, label_start, end, text[label_start:end], code, sentence=offset)
            )
    return figures, used


def _is_part(low: str, sentences: _Boundaries, sentence_start: int, number_start: int) -> bool:
    """A sentence opening with "Trong đó"/"Riêng" gives parts of the figure of the sentence
    before; after a sentence with no figure of its own ("Năm 2019, phong trào được duy trì.
    Trong đó, củng cố …") it only introduces the figures themselves."""
    if not _PART.match(low[sentence_start:number_start]):
        return False
    previous_start = sentences.last(max(sentence_start - 1, 0))
    previous = _DATES.sub(" ", low[previous_start:sentence_start])
    return bool(_DIGIT.search(previous))


def find_figures(text: str) -> list[Figure]:
    """Every count-like number, each with its indicator when the words around it say so."""
    low = matching_text(text)
    figures, in_tables = _table_figures(text, low)
    clauses, sentences = _Boundaries(_CLAUSE_END, low), _Boundaries(_SENTENCE_END, low)
    lines, semicolons = _Boundaries(_LINE_START, low), _Boundaries(_SEMICOLON, low)
    previous: Figure | None = None
    for number in find_numbers(low):
        if number.number_start in in_tables:
            continue
        clause_start = clauses.last(number.start)
        sentence_start = sentences.last(number.start)
        choice = _members_choice(low, number, previous) or _choose(low, number, clause_start)
        if choice is None and number.is_fraction:
            continue  # "sáng 16/8 tại …" is a date
        if choice is None:
            noun = _NEXT_WORDS.match(low, number.end)
            if number.is_word or not noun or noun.group(1) in NOT_COUNTED:
                continue
            end = noun.end()
            choice = _Choice("", number.start, end)
        before = low[sentence_start : number.start]
        if choice.code and NOT_DONE.search(before):
            choice.code = ""
        years = [int(y) for y in _YEAR.findall(before)]
        if _SPAN.search(before):
            years.append(SPAN_OF_YEARS)
        if choice.code and _NATIONWIDE.search(before):
            choice.code = ""
        if choice.code and _TEASER.match(low, lines.last(number.start)):
            choice.code = ""
        previous = Figure(
            value=number.value,
            start=choice.start,
            end=choice.end,
            text=text[choice.start : choice.end],
            indicator=choice.code or None,
            year=years[-1] if years else None,
            # A place named before a semicolon belongs to the clause it ends:
            # "… tại xã A; củng cố 55 mô hình" does not give xã A's figure.
            units_named=unit_names_in(
                text,
                max(sentence_start, semicolons.last(number.start)),
                number.start,
            ),
            is_part=_is_part(low, sentences, sentence_start, number.start),
            after_breakdown=bool(_BREAKDOWN.search(before)),
            sentence=sentence_start,
            approximate=bool(_APPROXIMATE.match(low, number.start)),
        )
        figures.append(previous)
    return sorted(figures, key=lambda f: f.start)


def _members_choice(low: str, number: Number, previous: Figure | None) -> _Choice | None:
    """ "4.351 tổ với tổng số 13.053 thành viên": members of the groups the figure before counts."""
    if not previous or previous.indicator not in MEMBERS:
        return None
    link = _MEMBERS_LINK.match(low, previous.end)
    if not link or link.end() != number.start:
        return None
    noun = _MEMBER_NOUN.match(low, number.end)
    return _Choice(MEMBERS[previous.indicator], number.start, noun.end()) if noun else None
