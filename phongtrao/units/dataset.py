"""Reads the unit lists and the 2025 mapping shipped by the `vietnamadminunits` package.

Nothing here is hand-written: names, codes, types, centroids and the old -> new mapping all
come from the package's SQLite file and JSON. The keys without diacritics that the package
uses in its mapping ("tinhkontum_huyenngochoi_thitranpleikan") are resolved to codes here.
"""

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from importlib import resources

from phongtrao.units.models import LEGACY_END, REFORM_DATE, UnitKind

Key = tuple[str, str, object]  # (kind, code, valid_from)


@dataclass(frozen=True)
class UnitRecord:
    kind: str
    code: str
    name: str
    short_name: str
    type_name: str
    parent: Key | None
    valid_from: object
    valid_to: object
    latitude: float | None
    longitude: float | None

    @property
    def key(self) -> Key:
        return (self.kind, self.code, self.valid_from)


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: Key
    successor: Key
    share: Decimal
    is_default: bool


def _data_path(name: str):
    return resources.files("vietnamadminunits") / "data" / name


def _type_of(name: str, short: str) -> str:
    prefix = name[: len(name) - len(short)].strip() if name.endswith(short) else ""
    return prefix or name.split(" ")[0]


def legacy_key(code: str, kind: str = UnitKind.COMMUNE) -> Key:
    return (kind, code, None)


def current_key(code: str, kind: str = UnitKind.COMMUNE) -> Key:
    return (kind, code, REFORM_DATE)


class Dataset:
    def __init__(self) -> None:
        with resources.as_file(_data_path("dataset.db")) as db_path:
            self._db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            self._db.row_factory = sqlite3.Row
            self._legacy = self._db.execute(
                "SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
            ).fetchall()
            self._current = self._db.execute(
                "SELECT * FROM admin_units ORDER BY provinceCode, wardCode"
            ).fetchall()
            self._db.close()
        self._mapping = json.loads(_data_path("converter_2025.json").read_text("utf-8"))

    def units(self) -> Iterator[UnitRecord]:
        """Provinces first, then districts, then communes: parents always come before children."""
        yield from self._legacy_provinces()
        yield from self._current_provinces()
        yield from self._legacy_districts()
        yield from self._legacy_communes()
        yield from self._current_communes()

    def _legacy_provinces(self) -> Iterator[UnitRecord]:
        seen = set()
        for r in self._legacy:
            if r["provinceCode"] in seen:
                continue
            seen.add(r["provinceCode"])
            yield UnitRecord(
                UnitKind.PROVINCE, r["provinceCode"], r["province"], r["provinceShort"],
                _type_of(r["province"], r["provinceShort"]), None, None, LEGACY_END,
                r["provinceLat"], r["provinceLon"],
            )  # fmt: skip

    def _current_provinces(self) -> Iterator[UnitRecord]:
        seen = set()
        for r in self._current:
            if r["provinceCode"] in seen:
                continue
            seen.add(r["provinceCode"])
            yield UnitRecord(
                UnitKind.PROVINCE, r["provinceCode"], r["province"], r["provinceShort"],
                _type_of(r["province"], r["provinceShort"]), None, REFORM_DATE, None,
                r["provinceLat"], r["provinceLon"],
            )  # fmt: skip

    def _legacy_districts(self) -> Iterator[UnitRecord]:
        seen = set()
        for r in self._legacy:
            if r["districtCode"] in seen:
                continue
            seen.add(r["districtCode"])
            yield UnitRecord(
                UnitKind.DISTRICT, r["districtCode"], r["district"], r["districtShort"],
                r["districtType"], legacy_key(r["provinceCode"], UnitKind.PROVINCE), None,
                LEGACY_END, r["districtLat"], r["districtLon"],
            )  # fmt: skip

    def _legacy_communes(self) -> Iterator[UnitRecord]:
        for r in self._legacy:
            if not r["wardCode"]:
                continue  # island districts with no commune below them
            yield UnitRecord(
                UnitKind.COMMUNE, r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
                legacy_key(r["districtCode"], UnitKind.DISTRICT), None, LEGACY_END,
                r["wardLat"], r["wardLon"],
            )  # fmt: skip

    def _current_communes(self) -> Iterator[UnitRecord]:
        for r in self._current:
            yield UnitRecord(
                UnitKind.COMMUNE, r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
                current_key(r["provinceCode"], UnitKind.PROVINCE), REFORM_DATE, None,
                r["wardLat"], r["wardLon"],
            )  # fmt: skip

    def successions(self) -> Iterator[SuccessionRecord]:
        legacy_province = {r["provinceKey"]: r["provinceCode"] for r in self._legacy}
        current_province = {r["provinceKey"]: r["provinceCode"] for r in self._current}
        legacy_by_key = {}
        for r in self._legacy:
            if r["wardCode"]:
                full = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
                legacy_by_key[full] = legacy_key(r["wardCode"])
            else:
                full = f"{r['provinceKey']}_{r['districtKey']}_"
                legacy_by_key[full] = legacy_key(r["districtCode"], UnitKind.DISTRICT)
        current_by_key = {
            (r["provinceKey"], r["wardKey"]): current_key(r["wardCode"]) for r in self._current
        }

        for new_key, old_keys in self._mapping["DICT_PROVINCE"].items():
            successor = current_key(current_province[new_key], UnitKind.PROVINCE)
            for old in old_keys:
                predecessor = legacy_key(legacy_province[old], UnitKind.PROVINCE)
                yield SuccessionRecord(predecessor, successor, Decimal(1), True)

        for new_province, wards in self._mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_ward, old_keys in wards.items():
                successor = current_by_key[(new_province, new_ward)]
                for old in old_keys:
                    yield SuccessionRecord(legacy_by_key[old], successor, Decimal(1), True)

        for new_province, olds in self._mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old, parts in olds.items():
                # The package does not say how much of the old commune each part holds,
                # so the share is split evenly; an administrator can correct it as data.
                shares = _even_shares(len(parts))
                for part, share in zip(parts, shares, strict=True):
                    yield SuccessionRecord(
                        legacy_by_key[old],
                        current_by_key[(new_province, part["newWardKey"])],
                        share,
                        bool(part["isDefaultNewWard"]),
                    )


def _even_shares(count: int) -> list[Decimal]:
    each = (Decimal(1) / count).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return [each] * (count - 1) + [Decimal(1) - each * (count - 1)]
