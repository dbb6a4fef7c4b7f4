"""Festival events' photos: checked, stripped of metadata and thumbnailed before they are kept."""

from typing import Any

from django.db import transaction

from phongtrao.registries import files
from phongtrao.registries.models import FestivalEvent, FestivalPhoto
from phongtrao.registries.services.base import child_delete, child_save


@transaction.atomic
def festival_photo_add(
    *,
    actor: Any,
    event: FestivalEvent,
    name: str,
    content: bytes,
    caption: str = "",
    source: str = "web",
) -> FestivalPhoto:
    image, thumbnail, extension, width, height = files.clean_photo(content)
    folder = f"festival/{event.year}/{event.pk}"
    photo = FestivalPhoto(
        event=event,
        image=files.store(folder=folder, extension=extension, content=image),
        thumbnail=files.store(folder=folder, extension="jpg", content=thumbnail),
        original_name=name[:200],
        caption=caption,
        width=width,
        height=height,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # The files exist before the row: a refused row must not leave them behind.
    try:
        return child_save(actor=actor, entry=event, child=photo, source=source)
    except Exception:
        files.remove(photo.image)
        files.remove(photo.thumbnail)
        raise


@transaction.atomic
def festival_photo_remove(*, actor: Any, photo: FestivalPhoto, source: str = "web") -> None:
    image, thumbnail = photo.image, photo.thumbnail
    child_delete(actor=actor, entry=photo.event, child=photo, source=source)
    transaction.on_commit(lambda: (files.remove(image), files.remove(thumbnail)))
