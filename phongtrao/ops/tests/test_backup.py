"""`phongtrao backup` / `phongtrao restore`: a round trip gives back the same rows and files;
a damaged, foreign or mismatched backup, or a restore not confirmed with --yes, changes nothing.

Restores run inside the test's transaction (a savepoint), so nothing is committed; the media
swap waits for the commit and is run by `django_capture_on_commit_callbacks`.
"""

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from phongtrao.accounts.models import User
from phongtrao.accounts.services import user_set_active
from phongtrao.catalog.models import Indicator
from phongtrao.catalog.services.indicators import indicator_update
from phongtrao.core.models import AuditEvent
from phongtrao.core.text import format_number
from phongtrao.ops.backup import MANIFEST, backup_create, backup_models
from phongtrao.units.models import Unit

pytestmark = pytest.mark.django_db

UNITS = "data/units.unit.jsonl"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return caught.value


def table_counts() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in backup_models()}


def state() -> dict[str, list[dict]]:
    """The rows the round trip must give back, field by field."""
    return {
        "units": list(Unit.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "user_units": list(User.units.through.objects.order_by("pk").values()),
        "audit": list(AuditEvent.objects.order_by("pk").values()),
        "indicators": list(Indicator.objects.order_by("pk").values()),
    }


def rewrite(source: Path, target: Path, *, change: dict[str, bytes]) -> None:
    """Copy a backup, replacing some members' bytes (the manifest is left as it was)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, change.get(info.filename, old.read(info.filename)))


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def shared_backup(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:
    """One backup of the loaded units for the tests that only need it refused (it is slow)."""
    folder = tmp_path_factory.mktemp("shared-backup")
    path = folder / "sao-luu.zip"
    with override_settings(MEDIA_ROOT=folder / "media"), django_db_blocker.unblock():
        backup_create(path=path)
    return path


def test_round_trip_gives_back_the_same_rows(tmp_path, media, make_area, make_user, bo_y):
    # Given a grassroots unit, a user with units, a catalogue edit (and their audit), backed up
    area = make_area(bo_y, name="Thôn Plei Kần Một")
    make_user("can_bo_bo_y", units=(bo_y, area))
    indicator_update(
        actor=None, indicator=Indicator.objects.get(code="SCHEMES_NEW"), name="Mô hình mới"
    )
    path = tmp_path / "sao-luu.zip"
    out, err = run("backup", str(path))
    before = state()
    assert out.splitlines() == [
        f"models {len(backup_models())}",
        f"rows {sum(table_counts().values())}",
        "files 0",
        f"path {path.resolve()}",
    ]
    assert "units.unit: " in err  # progress goes to stderr
    # ... and then changed
    Unit.objects.filter(pk=area.pk).update(name="Thôn Đổi Tên", contact_phone="0912345678")
    make_area(bo_y, name="Thôn Mới Sau Sao Lưu")
    user_set_active(actor=None, user=User.objects.get(username="can_bo_bo_y"), is_active=False)
    indicator_update(
        actor=None, indicator=Indicator.objects.get(code="SCHEMES_NEW"), name="Tên khác"
    )
    assert state() != before

    # When it is restored
    out, _ = run("restore", str(path), "--yes")

    # Then every row is as it was, and the summary says so
    assert state() == before
    assert not Unit.objects.filter(name="Thôn Mới Sau Sao Lưu").exists()
    assert out.splitlines()[1] == f"rows {sum(table_counts().values())}"
    # New rows get fresh ids after the restore (sequences follow the restored ids).
    newer = make_area(bo_y, name="Thôn Sau Khôi Phục")
    assert newer.pk > max(row["id"] for row in before["units"])


def test_an_import_and_its_changes_come_back_even_for_a_value_cleared_since(tmp_path, media, bo_y):
    # Given an import of two values, one of them deleted since (its change stays), backed up
    from phongtrao.reporting.models import DataValue, ValueChange, ValueImport
    from phongtrao.reporting.transfer.commit import values_import

    source = tmp_path / "so-lieu.csv"
    source.write_text(
        "indicator,unit,period,value\nSCHEMES_NEW,23377,2026,4\nFESTIVAL_EVENTS,23377,2026,2\n",
        encoding="utf-8",
    )
    values_import(path=source)
    DataValue.objects.filter(indicator__code="FESTIVAL_EVENTS").delete()
    rows = (list(ValueImport.objects.values()), list(ValueChange.objects.order_by("pk").values()))
    path = tmp_path / "sao-luu.zip"
    run("backup", str(path))
    ValueChange.objects.all().delete()
    ValueImport.objects.all().delete()

    # When it is restored
    run("restore", str(path), "--yes")

    # Then the import and both its changes are back as they were
    after = (list(ValueImport.objects.values()), list(ValueChange.objects.order_by("pk").values()))
    assert after == rows
    assert len(rows[1]) == 2


def test_a_damaged_member_is_refused_and_nothing_changes(shared_backup, tmp_path, make_area, bo_y):
    # Given one byte flipped inside the units member's compressed data
    damaged = tmp_path / "damaged.zip"
    shutil.copy(shared_backup, damaged)
    with zipfile.ZipFile(damaged) as archive:
        info = archive.getinfo(UNITS)
    raw = bytearray(damaged.read_bytes())
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    make_area(bo_y, name="Thôn Sau Sao Lưu")
    before, counts = state(), table_counts()

    # When it is restored, even with --yes
    error = refused("restore", str(damaged), "--yes")

    # Then it is refused as damaged, and nothing changed
    assert error.returncode == 2
    assert "bị hỏng" in str(error)
    assert state() == before and table_counts() == counts


def test_a_member_that_differs_from_its_checksum_is_refused(shared_backup, tmp_path):
    # Given a well-formed zip whose units member no longer matches the manifest's checksum
    with zipfile.ZipFile(shared_backup) as archive:
        units = archive.read(UNITS)
    tampered = tmp_path / "tampered.zip"
    rewrite(shared_backup, tampered, change={UNITS: units.replace(b"Plei K", b"Plei X", 1)})
    counts = table_counts()

    error = refused("restore", str(tampered), "--yes")

    assert error.returncode == 2
    assert UNITS in str(error)
    assert table_counts() == counts


def test_a_backup_from_another_migration_state_is_refused(shared_backup, tmp_path, make_area, bo_y):
    # Given a backup made when the units app had a migration this database has not
    with zipfile.ZipFile(shared_backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    manifest["migrations"]["units"] = ["9999_from_the_future"]
    other = tmp_path / "other-version.zip"
    rewrite(shared_backup, other, change={MANIFEST: json.dumps(manifest).encode()})
    make_area(bo_y, name="Thôn Sau Sao Lưu")
    before, counts = state(), table_counts()

    error = refused("restore", str(other), "--yes")

    assert error.returncode == 2
    assert "phongtrao migrate" in str(error)
    assert "9999_from_the_future" in str(error)
    assert state() == before and table_counts() == counts


@pytest.mark.parametrize("content", ["plain text", "zip without manifest"])
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, content):
    path = tmp_path / "khong-phai.zip"
    if content == "plain text":
        path.write_text("Báo cáo tổng kết")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("bao-cao.txt", "Báo cáo")
    counts = table_counts()

    error = refused("restore", str(path))

    assert error.returncode == 2
    assert "không phải tệp sao lưu Phong Trào" in str(error)
    assert table_counts() == counts


def test_restore_without_yes_on_a_database_with_data_changes_nothing(
    shared_backup, media, make_area, bo_y
):
    # Given data added after the backup, and an uploaded file
    make_area(bo_y, name="Thôn Sau Sao Lưu")
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "moi.jpg").write_bytes(b"jpeg")
    before, counts = state(), table_counts()

    # When it is restored without --yes
    with pytest.raises(CommandError) as caught:
        call_command(
            "restore", str(shared_backup), stdout=io.StringIO(), stderr=(err := io.StringIO())
        )

    # Then it says what would be replaced and changes nothing
    assert caught.value.returncode == 1
    assert "--yes" in str(caught.value)
    assert f"units.unit\t{format_number(Unit.objects.count())}" in err.getvalue()
    assert state() == before and table_counts() == counts
    assert [p.name for p in media.rglob("*") if p.is_file()] == ["moi.jpg"]


def test_uploaded_files_come_back(
    media, tmp_path, django_capture_on_commit_callbacks, make_area, bo_y
):
    # Given uploads, backed up
    files = {
        "registries/photos/2025/ngay-hoi.jpg": b"\xff\xd8\xff\xe0 photo",
        "documents/templates/mau-bao-cao.docx": b"PK docx",
    }
    for name, data in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    path = tmp_path / "with-media.zip"
    out, _ = run("backup", str(path))
    assert "files 2" in out.splitlines()
    # ... then one changed, one deleted, one added
    (media / "registries/photos/2025/ngay-hoi.jpg").write_bytes(b"other")
    (media / "documents/templates/mau-bao-cao.docx").unlink()
    (media / "extraction").mkdir()
    (media / "extraction" / "moi.pdf").write_bytes(b"%PDF")

    # When it is restored: the files are swapped in once the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        run("restore", str(path), "--yes")

    # Then the uploads are exactly the backup's, and the replaced ones were kept aside
    restored = {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }
    assert restored == files
    (kept,) = media.parent.glob("media.before-restore-*")
    assert (kept / "extraction" / "moi.pdf").read_bytes() == b"%PDF"
    assert not list(media.parent.glob(".media-restore-*"))


def test_unconfirmed_import_uploads_are_left_out_of_the_backup(tmp_path, media):
    # given an uploaded photo and an import upload waiting for its confirmation
    (media / "registries").mkdir(parents=True)
    (media / "registries" / "anh.jpg").write_bytes(b"jpeg")
    (media / "imports").mkdir()
    (media / "imports" / "token.csv").write_bytes(b"indicator,unit\n")
    path = tmp_path / "sao-luu.zip"
    # when
    run("backup", str(path))
    # then only the photo is in the backup
    with zipfile.ZipFile(path) as archive:
        assert [n for n in archive.namelist() if n.startswith("media/")] == [
            "media/registries/anh.jpg"
        ]


def test_a_restore_brings_back_the_totals_the_values_make(tmp_path, media, make_area, bo_y):
    from phongtrao.analytics.models import SubtreeTotal
    from phongtrao.analytics.totals import totals_differences
    from phongtrao.reporting.models import DataValue

    # given a village's value, in its commune's and province's totals, backed up
    area = make_area(bo_y, name="Thôn Một")
    DataValue.objects.create(
        indicator=Indicator.objects.get(code="SEMINARS"), unit=area, period="2026", value="4",
        number=4,
    )  # fmt: skip
    kept = sorted(SubtreeTotal.objects.values_list("unit_id", "period", "count", "total"))
    path = tmp_path / "sao-luu.zip"
    run("backup", str(path))
    # ... then the value is deleted
    DataValue.objects.all().delete()
    assert SubtreeTotal.objects.filter(count__gt=0).count() == 0
    # when restored
    run("restore", str(path), "--yes")
    # then the totals are back, made by the database from the restored values
    restored = sorted(
        SubtreeTotal.objects.filter(count__gt=0).values_list("unit_id", "period", "count", "total")
    )
    assert restored == kept
    assert len(kept) == 2
    assert totals_differences() == []
