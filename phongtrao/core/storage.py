"""Where uploaded and generated files are kept (settings.STORAGES["default"])."""

import errno
import os
from contextlib import suppress
from typing import Any

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from phongtrao.core.errors import AppError, ErrorCode

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


class MediaStorage(FileSystemStorage):
    """Django's file storage, except that a file the disk had no room for is not left behind
    half-written, and the user is told why in words (a full disk is no bug to log as one)."""

    def _save(self, name: str, content: Any) -> str:
        try:
            return super()._save(name, content)
        except OSError as exc:
            if exc.errno not in DISK_FULL:
                raise
            # save() chose a name no file had, so what is there now is this write's part.
            with suppress(FileNotFoundError):
                os.remove(self.path(name))
            raise AppError(
                ErrorCode.UNAVAILABLE,
                _(
                    "The server's disk is full: the file was not saved, and nothing else "
                    "either. Tell the system administrator, then send it again."
                ),
            ) from exc
