"""Adding an entry once per form, however many times the form is sent."""

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.registries.models import FormSubmission
from phongtrao.registries.services.base import E, entry_create


def submission_token() -> str:
    """A new token for an add form, rendered in it as a hidden field."""
    return secrets.token_urlsafe(32)


def _entry_submitted(*, actor: Any, token: str, model: type[E]) -> E | None:
    submission = FormSubmission.objects.filter(token=token).first()
    if submission is None:
        return None
    registry = ContentType.objects.get_for_model(model)  # cached: no query after the first
    if submission.user_id != actor.pk or submission.content_type_id != registry.pk:
        # Someone else's token (or another registry's) tells nothing about what it created.
        raise AppError(ErrorCode.INVALID, _("This form was already sent; open it again."))
    return model.objects.get(pk=submission.object_id)


def entry_create_once(
    *,
    actor: Any,
    token: str,
    model: type[E],
    data: dict[str, Any],
    create: Callable[..., E] = entry_create,
) -> tuple[E, bool]:
    """The entry the form with this token created, and whether this call created it."""
    existing = _entry_submitted(actor=actor, token=token, model=model)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            # The token's row comes first: a second request sent at the same moment waits on
            # its unique key until this one commits, then finds the entry.
            submission = FormSubmission.objects.create(
                token=token, user=actor, content_type=ContentType.objects.get_for_model(model)
            )
            entry = create(actor=actor, model=model, data=data)
            submission.object_id = entry.pk
            submission.save(update_fields=["object_id"])
    except IntegrityError:
        existing = _entry_submitted(actor=actor, token=token, model=model)
        if existing is None:
            raise
        return existing, False
    return entry, True
