"""`units load`: bring the package's unit lists and 2025 mapping into the database.

Kept apart from services.py because it is a bulk, idempotent sync rather than a user's edit:
it compares every record with what is stored and writes only the difference, so a second run
creates and changes nothing.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from phongtrao.core.audit import audit_record_many, build_event, snapshot
from phongtrao.core.text import search_key
from phongtrao.units.dataset import Dataset, Key, UnitRecord
from phongtrao.units.models import ADMINISTRATIVE_KINDS, Unit, UnitSuccession

SYNCED_FIELDS = ("name", "short_name", "type_name", "valid_to", "latitude", "longitude")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_created: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _key(unit: Unit) -> Key:
    return (unit.kind, unit.code, unit.valid_from)


def _values(record: UnitRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "short_name": record.short_name,
        "type_name": record.type_name or "",
        "valid_to": record.valid_to,
        "latitude": record.latitude,
        "longitude": record.longitude,
    }


@transaction.atomic
def units_load(*, actor: Any = None, dataset: Dataset | None = None) -> LoadResult:
    dataset = dataset or Dataset()
    result = LoadResult()
    existing = {_key(u): u for u in Unit.objects.filter(kind__in=ADMINISTRATIVE_KINDS)}
    events = []
    for depth, kind in enumerate(("province", "district", "commune")):
        records = [r for r in dataset.units() if r.kind == kind]
        to_create, to_update = [], []
        for record in records:
            values = _values(record)
            parent_id = existing[record.parent].pk if record.parent else None
            unit = existing.get(record.key)
            if unit is None:
                unit = Unit(
                    code=record.code,
                    kind=record.kind,
                    parent_id=parent_id,
                    valid_from=record.valid_from,
                    depth=depth,
                    path="",
                    search_key=search_key(f"{record.name} {record.code}"),
                    **values,
                )
                to_create.append(unit)
                continue
            changed = {k: v for k, v in values.items() if getattr(unit, k) != v}
            if unit.parent_id != parent_id:
                changed["parent_id"] = parent_id
            if changed:
                before = snapshot(unit)
                for k, v in changed.items():
                    setattr(unit, k, v)
                unit.search_key = search_key(f"{unit.name} {unit.code}")
                to_update.append(unit)
                events.append((unit, before))
            else:
                result.unchanged += 1
        Unit.objects.bulk_create(to_create, batch_size=2000)
        Unit.objects.bulk_update(
            to_update, [*SYNCED_FIELDS, "parent_id", "search_key"], batch_size=500
        )
        _fill_paths(depth)
        for unit in Unit.objects.filter(kind=kind, depth=depth):
            if _key(unit) not in existing:
                existing[_key(unit)] = unit
                events.append((unit, None))
        result.created += len(to_create)
        result.updated += len(to_update)

    audit_record_many(
        build_event(
            actor=actor,
            instance=unit,
            before=before,
            after=snapshot(unit),
            unit_id=unit.pk,
            unit_path=unit.path,
            source="units load",
        )
        for unit, before in events
    )
    _load_successions(dataset, existing, result)
    return result


def _fill_paths(depth: int) -> None:
    """New rows get their path in one UPDATE per level: the parent's path, then their own id."""
    own = Concat(Cast(F("id"), CharField()), Value("/"), output_field=CharField())
    pending = Unit.objects.filter(depth=depth, path="")
    if depth == 0:
        pending.update(path=own)
        return
    parent_path = Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    pending.update(path=Concat(Subquery(parent_path), own, output_field=CharField()))


def _load_successions(dataset: Dataset, units: dict[Key, Unit], result: LoadResult) -> None:
    # Only missing links are added: a share an administrator corrected is theirs to keep.
    existing = set(UnitSuccession.objects.values_list("predecessor_id", "successor_id"))
    to_create = []
    for record in dataset.successions():
        pred, succ = units[record.predecessor].pk, units[record.successor].pk
        if (pred, succ) not in existing:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pred,
                    successor_id=succ,
                    share=record.share,
                    is_default=record.is_default,
                )
            )
    UnitSuccession.objects.bulk_create(to_create, batch_size=2000)
    result.successions_created = len(to_create)
