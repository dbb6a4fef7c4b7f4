"""Anniversaries every festival report names, computed for the report's year.

Pure functions: the People's Public Security force dates from 19/8/1945, the festival day
from 19/8/2005 (Quyết định 521/QĐ-TTg). Officials count the years between the two dates
("74 năm … (19/8/1945 - 19/8/2019)") and look ahead to the next round one, a multiple of 5.
"""

from dataclasses import dataclass

POLICE_FOUNDED = 1945
FESTIVAL_FOUNDED = 2005
ROUND = 5


@dataclass(frozen=True)
class Anniversary:
    name: str
    founded: int
    years: int
    year: int

    @property
    def text(self) -> str:
        """ "74 năm Ngày truyền thống … (19/8/1945 - 19/8/2019)"."""
        return f"{self.years} năm {self.name} (19/8/{self.founded} - 19/8/{self.year})"

    @property
    def is_round(self) -> bool:
        return self.years % ROUND == 0


POLICE_DAY = "Ngày truyền thống lực lượng Công an nhân dân"
FESTIVAL_DAY = "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"


def anniversary(name: str, founded: int, year: int) -> Anniversary | None:
    years = year - founded
    return Anniversary(name, founded, years, year) if years > 0 else None


def anniversaries(year: int) -> list[Anniversary]:
    """The police day's and the festival day's anniversaries of `year` (none before they began)."""
    found = [
        anniversary(POLICE_DAY, POLICE_FOUNDED, year),
        anniversary(FESTIVAL_DAY, FESTIVAL_FOUNDED, year),
    ]
    return [a for a in found if a is not None]


def anniversaries_ahead(year: int) -> list[Anniversary]:
    """The round anniversaries of next year, which this year's work is "hướng tới"."""
    return [a for a in anniversaries(year + 1) if a.is_round]
