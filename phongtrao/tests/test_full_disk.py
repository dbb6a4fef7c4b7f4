"""A full disk while a file is saved: a clear message, no half-written file, no row
(core/storage.py). A real full disk: a tmpfs of 64 KB, mounted where the test may (root with
the right to mount); skipped elsewhere."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.documents.docx import builtin_template
from phongtrao.documents.models import DocumentTemplate
from phongtrao.documents.services import document_template_upload

DISK_FULL = (
    "Ổ đĩa của máy chủ đã đầy: tệp chưa được lưu, và không có gì khác được lưu. Hãy báo quản "
    "trị viên hệ thống, rồi gửi lại."
)


@pytest.fixture
def full_media(tmp_path, settings) -> Iterator[Path]:
    """MEDIA_ROOT on a 64 KB disk with about 8 KB left."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a small disk here (needs root and the right to mount)")
    try:
        (disk / "filler").write_bytes(b"x" * (56 * 1024))
        settings.MEDIA_ROOT = disk / "media"
        storages._storages.pop("default", None)  # built again on the new MEDIA_ROOT
        yield disk / "media"
    finally:
        storages._storages.pop("default", None)
        subprocess.run(["umount", str(disk)], check=True)


def _files(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_file_the_disk_has_no_room_for_is_not_left_half_written(full_media):
    # given a disk with 8 KB left
    storage = storages["default"]
    # when a file of 32 KB is saved
    with pytest.raises(AppError) as refused:
        storage.save("documents/big.bin", ContentFile(b"y" * (32 * 1024)))
    # then the user is told why, and nothing of it stays on the disk
    assert (refused.value.code, refused.value.message) == (ErrorCode.UNAVAILABLE, DISK_FULL)
    assert _files(full_media) == []


def test_a_template_uploaded_onto_a_full_disk_is_refused_and_nothing_is_stored(
    full_media, quang_ngai
):
    # given a disk with 8 KB left and the built-in template (38 KB) to upload
    upload = SimpleUploadedFile("mau-tinh.docx", builtin_template().read_bytes())
    assert len(upload) > 32 * 1024
    # when the province uploads it
    with pytest.raises(AppError) as refused:
        document_template_upload(actor=None, unit=quang_ngai, upload=upload)
    # then it is refused with the reason, and neither a row nor a file is left
    assert refused.value.message == DISK_FULL
    assert DocumentTemplate.objects.count() == 0
    assert _files(full_media) == []
    assert os.statvfs(full_media.parent).f_bfree > 0
