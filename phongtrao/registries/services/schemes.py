"""Models (mô hình): created with their founding review, points that make a year "replicated"."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from phongtrao.core.audit import audit_record
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.roles import Role
from phongtrao.core.text import clean_text, search_key
from phongtrao.registries.models import ReviewStatus, Scheme, SchemePoint, SchemeReview, SchemeType
from phongtrao.registries.services.base import (
    child_delete,
    child_save,
    entry_create,
    registry_snapshot,
    save_clean,
)
from phongtrao.units.models import Unit


def _founding_review(*, actor: Any, scheme: Scheme, source: str) -> None:
    review = SchemeReview(scheme=scheme, year=scheme.founded_on.year, status=ReviewStatus.NEW)
    child_save(actor=actor, entry=scheme, child=review, source=source)


def _mark_replicated(*, actor: Any, scheme: Scheme, year: int, source: str) -> None:
    """A point started after the founding year makes that year "replicated", unless reviewed
    otherwise already (a dissolved model stays dissolved; a new one stays new)."""
    if year <= scheme.founded_on.year:
        return
    review = SchemeReview.objects.filter(scheme=scheme, year=year).first()
    if review is None:
        review = SchemeReview(scheme=scheme, year=year, status=ReviewStatus.REPLICATED)
    elif review.status == ReviewStatus.MAINTAINED:
        review.status = ReviewStatus.REPLICATED
    else:
        return
    child_save(actor=actor, entry=scheme, child=review, source=source)


@transaction.atomic
def scheme_create(
    *,
    actor: Any,
    data: dict[str, Any],
    points: Sequence[tuple[Unit, date]] = (),
    source: str = "web",
) -> Scheme:
    scheme = entry_create(actor=actor, model=Scheme, data=data, source=source)
    _founding_review(actor=actor, scheme=scheme, source=source)
    for unit, started_on in points:
        scheme_point_add(
            actor=actor, scheme=scheme, unit=unit, started_on=started_on, source=source
        )
    return scheme


@transaction.atomic
def scheme_point_add(
    *, actor: Any, scheme: Scheme, unit: Unit, started_on: date, note: str = "", source: str = "web"
) -> SchemePoint:
    point = SchemePoint(scheme=scheme, unit=unit, started_on=started_on, note=note)
    child_save(actor=actor, entry=scheme, child=point, source=source)
    _mark_replicated(actor=actor, scheme=scheme, year=started_on.year, source=source)
    return point


@transaction.atomic
def scheme_point_remove(*, actor: Any, point: SchemePoint, source: str = "web") -> None:
    child_delete(actor=actor, entry=point.scheme, child=point, source=source)


@transaction.atomic
def scheme_review_set(
    *,
    actor: Any,
    scheme: Scheme,
    year: int,
    status: str,
    rating: str = "",
    comment: str = "",
    source: str = "web",
) -> SchemeReview:
    review = SchemeReview.objects.filter(scheme=scheme, year=year).first() or SchemeReview(
        scheme=scheme, year=year
    )
    review.status, review.rating, review.comment = status, rating, comment
    return child_save(actor=actor, entry=scheme, child=review, source=source)


@transaction.atomic
def scheme_review_remove(*, actor: Any, review: SchemeReview, source: str = "web") -> None:
    child_delete(actor=actor, entry=review.scheme, child=review, source=source)


@transaction.atomic
def scheme_type_save(
    *,
    actor: Any,
    scheme_type: SchemeType,
    name: str,
    is_active: bool,
    order: int,
    source: str = "web",
) -> SchemeType:
    """The national taxonomy of model types: administrators rename, add or retire types."""
    if actor is not None and not actor.has_role(Role.ADMIN):
        raise AppError(ErrorCode.FORBIDDEN, _("Only an administrator may change the model types."))
    before = registry_snapshot(scheme_type) if scheme_type.pk else None
    scheme_type.name, scheme_type.is_active, scheme_type.order = clean_text(name), is_active, order
    if not scheme_type.code:
        scheme_type.code = slugify(search_key(scheme_type.name)).replace("-", "_")[:40] or "loai"
    save_clean(scheme_type)
    audit_record(
        actor=actor, instance=scheme_type, before=before, after=registry_snapshot(scheme_type),
        source=source,
    )  # fmt: skip
    return scheme_type
