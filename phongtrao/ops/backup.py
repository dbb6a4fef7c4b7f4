"""Whole-system backup and restore: one .zip with a manifest, the data and the uploaded files.

The data is written with Django's own serialisers (JSON lines, one member per model), so a
backup made on SQLite restores on PostgreSQL and the other way round. Rows stream from the
database to the zip and back in chunks: memory stays flat however large the unit lists or the
audit grow.

Layout of the zip:
    data/<app_label>.<model_name>.jsonl   one member per model, in dependency order
    media/<path under MEDIA_ROOT>         the uploaded files
    manifest.json                         written last: format, migrations, counts, checksums
"""

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from phongtrao.analytics.models import DERIVED_MODELS
from phongtrao.core.errors import AppError, ErrorCode
from phongtrao.core.text import format_number
from phongtrao.core.uploads import PENDING_IMPORTS

FORMAT = "phongtrao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
MEDIA_PREFIX = "media/"
CHUNK_SIZE = 2000
# How often long tables report progress, in rows.
PROGRESS_EVERY = 20000
_COPY_BUFFER = 1 << 20

Progress = Callable[[str], None]


class BackupErrorCode:
    NOT_A_BACKUP = "backup_not_a_backup"
    DAMAGED = "backup_damaged"
    MIGRATIONS = "backup_migrations_differ"
    NEWER_FORMAT = "backup_newer_format"
    LOAD_FAILED = "backup_load_failed"
    MEDIA_FAILED = "backup_media_failed"


@dataclass(frozen=True)
class ModelEntry:
    label: str  # "units.unit"
    member: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class MediaEntry:
    name: str  # path under MEDIA_ROOT, with "/" separators
    member: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: str
    engine: str
    migrations: dict[str, list[str]]
    models: list[ModelEntry]
    media: list[MediaEntry]

    @property
    def rows(self) -> int:
        return sum(entry.rows for entry in self.models)


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    models: int
    rows: int
    files: int


@dataclass(frozen=True)
class RestorePlan:
    """A checked backup and what restoring it would replace in this database."""

    path: Path
    manifest: Manifest
    # Rows now in the database, per model label, only where there are any.
    existing: dict[str, int] = field(default_factory=dict)

    @property
    def existing_rows(self) -> int:
        return sum(self.existing.values())


@dataclass(frozen=True)
class RestoreSummary:
    path: Path
    models: int
    rows: int
    files: int
    replaced_rows: int
    # Where the uploads that were in place before went (kept, not deleted), if there were any.
    previous_media: Path | None


# --- Which models, in which order ------------------------------------------------------------


def _in_scope(app_label: str, app_name: str) -> bool:
    # The project's own apps, plus auth for groups; users live in accounts.
    return app_name.startswith("phongtrao.") or app_label == "auth"


def backup_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, parents before the models pointing at them.

    Content types and permissions are left out on purpose: `migrate` creates them, their ids
    differ from one database to the next, and the backup refers to them by natural key
    (app label, model, codename) instead. So are analytics' totals: the database's triggers
    make them again from the units and values as a restore writes those.
    """
    found: dict[str, type[models.Model]] = {}
    for app_config in apps.get_app_configs():
        if not _in_scope(app_config.label, app_config.name):
            continue
        # include_auto_created: many-to-many tables are dumped as models of their own, so their
        # rows stream and load in bulk like any other table.
        for model in app_config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or model is Permission or model in DERIVED_MODELS:
                continue
            found[meta.label_lower] = model
    return _dependency_order(found)


def _dependency_order(found: dict[str, type[models.Model]]) -> list[type[models.Model]]:
    in_set = set(found.values())
    deps: dict[str, set[str]] = {}
    for label, model in found.items():
        deps[label] = {
            f.remote_field.model._meta.label_lower
            for f in model._meta.concrete_fields
            if f.is_relation
            and f.remote_field.model in in_set
            and f.remote_field.model is not model
        }
    ordered: list[str] = []
    remaining = dict(deps)
    while remaining:
        ready = sorted(label for label, needs in remaining.items() if not needs & remaining.keys())
        if not ready:
            # A cycle between tables: break it at the first label. Foreign keys are checked at
            # commit (Django creates them deferrable), so the load still succeeds.
            ready = [min(remaining)]
        for label in ready:
            ordered.append(label)
            del remaining[label]
    return [found[label] for label in ordered]


def _member_name(model: type[models.Model]) -> str:
    return f"{DATA_PREFIX}{model._meta.label_lower}.jsonl"


def migration_state(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Per app whose data a backup holds: the names of the latest applied migrations."""
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    labels = {model._meta.app_label for model in backup_models()} | {"contenttypes"}
    applied = set(loader.applied_migrations)
    state: dict[str, list[str]] = {}
    for label in sorted(labels):
        mine = {key for key in applied if key[0] == label}
        leaves = []
        for key in mine:
            node = loader.graph.node_map.get(key)
            children = {child.key for child in node.children} if node else set()
            if not children & mine:
                leaves.append(key[1])
        state[label] = sorted(leaves)
    return state


# --- Writing ---------------------------------------------------------------------------------


class _HashingWriter:
    """A text stream for the serialiser: encodes, hashes and buffers into a zip member."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._hash = hashlib.sha256()
        self._buffer: list[bytes] = []
        self._pending = 0

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._hash.update(data)
        self._buffer.append(data)
        self._pending += len(data)
        if self._pending >= _COPY_BUFFER:
            self.flush()

    def flush(self) -> None:
        self._raw.write(b"".join(self._buffer))
        self._buffer.clear()
        self._pending = 0

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Serializer(jsonl.Serializer):
    """Django's JSON-lines serialiser, with content types and permissions by natural key.

    Natural keys come from maps read once, not from a query per row (the audit points at a
    content type on every row). Many-to-many fields are skipped: their tables are dumped as
    models of their own.
    """

    def __init__(self, natural: dict[type[models.Model], dict[Any, list[Any]]]) -> None:
        super().__init__()
        self._natural = natural

    def handle_fk_field(self, obj: models.Model, field: models.Field) -> None:
        keys = self._natural.get(field.remote_field.model)
        if keys is None:
            super().handle_fk_field(obj, field)
            return
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else keys[value]

    def handle_m2m_field(self, obj: models.Model, field: models.Field) -> None:
        return


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a restore must give back the same values."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _natural_key_maps(using: str) -> dict[type[models.Model], dict[Any, list[Any]]]:
    return {
        ContentType: {
            ct.pk: list(ct.natural_key()) for ct in ContentType.objects.using(using).iterator()
        },
        Permission: {
            p.pk: list(p.natural_key())
            for p in Permission.objects.using(using).select_related("content_type").iterator()
        },
    }


def _counted(
    rows: Iterable[models.Model], *, label: str, counter: list[int], progress: Progress | None
) -> Iterator[models.Model]:
    for row in rows:
        counter[0] += 1
        if progress and counter[0] % PROGRESS_EVERY == 0:
            progress(_("%(model)s: %(rows)s rows…") % {"model": label, "rows": fmt(counter[0])})
        yield row


def fmt(value: int) -> str:
    return format_number(value)


def _media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    if not media_root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(media_root):
        if Path(dirpath) == media_root and PENDING_IMPORTS in dirnames:
            # Unconfirmed uploads: anyone's file, never data of the system.
            dirnames.remove(PENDING_IMPORTS)
        dirnames.sort()
        for filename in sorted(filenames):
            full = Path(dirpath) / filename
            if full.is_file():
                yield full.relative_to(media_root).as_posix(), full


def _write_data(
    *, archive: zipfile.ZipFile, using: str, progress: Progress | None
) -> list[ModelEntry]:
    connection = connections[using]
    outermost = not connection.in_atomic_block
    # One transaction for every read, so the tables are dumped as of one moment (SQLite's WAL
    # keeps the first read's snapshot; PostgreSQL needs REPEATABLE READ for that).
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        natural = _natural_key_maps(using)
        return [
            _write_model(
                archive=archive, model=model, natural=natural, using=using, progress=progress
            )
            for model in backup_models()
        ]


def _write_model(
    *,
    archive: zipfile.ZipFile,
    model: type[models.Model],
    natural: dict[type[models.Model], dict[Any, list[Any]]],
    using: str,
    progress: Progress | None,
) -> ModelEntry:
    label = model._meta.label_lower
    member = _member_name(model)
    counter = [0]
    with archive.open(member, "w", force_zip64=True) as raw:
        writer = _HashingWriter(raw)
        rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK_SIZE)
        _Serializer(natural).serialize(
            _counted(rows, label=label, counter=counter, progress=progress),
            stream=writer,
            cls=_ExactEncoder,
        )
        writer.flush()
    if progress and counter[0]:
        progress(_("%(model)s: %(rows)s rows") % {"model": label, "rows": fmt(counter[0])})
    return ModelEntry(label=label, member=member, rows=counter[0], sha256=writer.hexdigest())


def _write_media(
    *, archive: zipfile.ZipFile, media_root: Path, progress: Progress | None
) -> list[MediaEntry]:
    entries = []
    for name, full in _media_files(media_root):
        member = MEDIA_PREFIX + name
        digest = hashlib.sha256()
        size = 0
        info = zipfile.ZipInfo.from_file(full, member)
        info.compress_type = zipfile.ZIP_DEFLATED
        with full.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(_COPY_BUFFER):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        entries.append(MediaEntry(name=name, member=member, size=size, sha256=digest.hexdigest()))
    if progress:
        progress(_("uploaded files: %(files)s") % {"files": fmt(len(entries))})
    return entries


def backup_create(
    *, path: Path, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> BackupSummary:
    """Write the whole system to one zip at `path`; an existing file there is replaced."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed at the end: a failed or interrupted run never leaves
    # a half backup under the name a cron job or an administrator will trust.
    fd, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            data = _write_data(archive=archive, using=using, progress=progress)
            media = _write_media(
                archive=archive, media_root=Path(settings.MEDIA_ROOT), progress=progress
            )
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "engine": connections[using].vendor,
                "django": django.get_version(),
                "migrations": migration_state(using=using),
                "models": [asdict(entry) for entry in data],
                "media": [asdict(entry) for entry in media],
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        path=path.resolve(),
        models=len(data),
        rows=sum(entry.rows for entry in data),
        files=len(media),
    )


# --- Reading and checking --------------------------------------------------------------------


def _not_a_backup(path: Path) -> AppError:
    return AppError(
        BackupErrorCode.NOT_A_BACKUP,
        _("%(path)s is not a Phong Trào backup.") % {"path": path},
    )


def _damaged(path: Path, why: str) -> AppError:
    return AppError(
        BackupErrorCode.DAMAGED,
        _("The backup %(path)s is damaged and cannot be restored.") % {"path": path},
        [why],
    )


def _parse_manifest(path: Path, raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _damaged(path, _("The manifest cannot be read.")) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise _not_a_backup(path)
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise AppError(
            BackupErrorCode.NEWER_FORMAT,
            _(
                "The backup %(path)s was made by a newer version of Phong Trào (format "
                "%(version)s); restore it with that version."
            )
            % {"path": path, "version": version},
        )
    try:
        return Manifest(
            created_at=str(data["created_at"]),
            engine=str(data["engine"]),
            migrations={str(k): [str(n) for n in v] for k, v in data["migrations"].items()},
            models=[ModelEntry(**entry) for entry in data["models"]],
            media=[MediaEntry(**entry) for entry in data["media"]],
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _damaged(path, _("The manifest is incomplete.")) from exc


def _safe_media_name(name: str) -> bool:
    # A crafted backup must not write outside MEDIA_ROOT.
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def _verify_members(path: Path, archive: zipfile.ZipFile, manifest: Manifest) -> None:
    expected = {e.member: e.sha256 for e in manifest.models}
    for entry in manifest.media:
        if not _safe_media_name(entry.name) or entry.member != MEDIA_PREFIX + entry.name:
            raise _damaged(path, _("Unsafe file name: %(name)s") % {"name": entry.name})
        expected[entry.member] = entry.sha256
    present = set(archive.namelist())
    for member, sha in expected.items():
        if member not in present:
            raise _damaged(path, _("Missing part: %(member)s") % {"member": member})
        digest = hashlib.sha256()
        try:
            with archive.open(member) as source:
                while chunk := source.read(_COPY_BUFFER):
                    digest.update(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _damaged(path, _("Unreadable part: %(member)s") % {"member": member}) from exc
        if digest.hexdigest() != sha:
            raise _damaged(path, _("Checksum mismatch: %(member)s") % {"member": member})


def _check_migrations(path: Path, manifest: Manifest, using: str) -> None:
    ours = migration_state(using=using)
    differences = []
    for label in sorted(ours.keys() | manifest.migrations.keys()):
        theirs, mine = manifest.migrations.get(label, []), ours.get(label, [])
        if theirs != mine:
            differences.append(
                _("%(app)s: backup %(backup)s, this database %(database)s")
                % {
                    "app": label,
                    "backup": ", ".join(theirs) or "—",
                    "database": ", ".join(mine) or "—",
                }
            )
    if differences:
        raise AppError(
            BackupErrorCode.MIGRATIONS,
            _(
                "The backup %(path)s was made with a different database structure. Run "
                "`phongtrao migrate` first, or restore with the version of Phong Trào that "
                "made the backup."
            )
            % {"path": path},
            differences,
        )


def _models_by_label() -> dict[str, type[models.Model]]:
    return {model._meta.label_lower: model for model in backup_models()}


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise AppError(ErrorCode.NOT_FOUND, _("File not found: %(path)s") % {"path": path}) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_a_backup(path) from exc


def _read_checked(path: Path, archive: zipfile.ZipFile, using: str) -> Manifest:
    try:
        raw = archive.read(MANIFEST)
    except KeyError as exc:
        raise _not_a_backup(path) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _damaged(path, _("The manifest cannot be read.")) from exc
    manifest = _parse_manifest(path, raw)
    _verify_members(path, archive, manifest)
    _check_migrations(path, manifest, using)
    known = _models_by_label()
    listed = [entry.label for entry in manifest.models]
    if sorted(listed) != sorted(known):
        # Same migrations but other tables: the backup was made by a different code base.
        raise _damaged(path, _("The backup lists other tables than this version has."))
    return manifest


def restore_plan(*, path: Path, using: str = DEFAULT_DB_ALIAS) -> RestorePlan:
    """Check a backup completely (format, checksums, migrations) without changing anything."""
    path = Path(path)
    with _open(path) as archive:
        manifest = _read_checked(path, archive, using)
    existing = {}
    for model in backup_models():
        count = model._base_manager.using(using).count()
        if count:
            existing[model._meta.label_lower] = count
    return RestorePlan(path=path, manifest=manifest, existing=existing)


# --- Restoring -------------------------------------------------------------------------------


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_raw(model: type[models.Model], objs: list[models.Model], using: str) -> None:
    meta = model._meta
    if meta.parents:
        # Multi-table inheritance spreads a row over several tables: save each one as loaddata
        # does.
        for obj in objs:
            models.Model.save_base(obj, using=using, raw=True)
        return
    fields = list(meta.local_concrete_fields)
    batch = connections[using].ops.bulk_batch_size(fields, objs) or len(objs)
    manager = model._base_manager.using(using)
    for start in range(0, len(objs), batch):
        # raw=True like loaddata's save: values go in exactly as they were, where bulk_create
        # would stamp auto_now / auto_now_add fields (created_at, the audit's time) with now.
        manager._insert(objs[start : start + batch], fields=fields, using=using, raw=True)


def _load_model(
    *,
    archive: zipfile.ZipFile,
    entry: ModelEntry,
    model: type[models.Model],
    using: str,
    progress: Progress | None,
) -> int:
    loaded = 0
    with archive.open(entry.member) as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        objects = (d.object for d in jsonl.Deserializer(text, using=using))
        for chunk in _chunks(objects, CHUNK_SIZE):
            for obj in chunk:
                if type(obj) is not model:
                    raise DeserializationError(f"{obj._meta.label_lower} row in {entry.member}")
            _insert_raw(model, chunk, using)
            loaded += len(chunk)
            if progress and loaded // PROGRESS_EVERY > (loaded - len(chunk)) // PROGRESS_EVERY:
                progress(
                    _("%(model)s: %(rows)s rows…") % {"model": entry.label, "rows": fmt(loaded)}
                )
    if loaded != entry.rows:
        raise DeserializationError(f"{entry.member}: {loaded} rows, manifest says {entry.rows}")
    if progress and loaded:
        progress(_("%(model)s: %(rows)s rows") % {"model": entry.label, "rows": fmt(loaded)})
    return loaded


def _empty_tables(ordered: list[type[models.Model]], using: str) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Children first. Plain DELETEs rather than the ORM's delete(), which would load every
        # row to cascade in Python; TRUNCATE is avoided because PostgreSQL refuses it on tables
        # with pending deferred checks inside the same transaction.
        for model in reversed(ordered):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")
        if apps.is_installed("django.contrib.sessions"):
            # The sessions belong to the users being replaced (ids get reused): everyone signs
            # in again.
            from django.contrib.sessions.models import Session

            cursor.execute(f"DELETE FROM {quote(Session._meta.db_table)}")


def _stage_media(*, archive: zipfile.ZipFile, manifest: Manifest, media_root: Path) -> Path:
    """Unpack the uploads next to MEDIA_ROOT (same disk, so the final swap is a rename)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    # mkdtemp makes a private directory; the web server must read the uploads as before.
    staged.chmod(media_root.stat().st_mode & 0o7777 if media_root.is_dir() else 0o755)
    try:
        for entry in manifest.media:
            target = staged.joinpath(*PurePosixPath(entry.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry.member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, _COPY_BUFFER)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _aside_name(media_root: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    candidate = media_root.with_name(f"{media_root.name}.before-restore-{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = media_root.with_name(f"{media_root.name}.before-restore-{stamp}-{number}")
    return candidate


def _swap_media(*, staged: Path, media_root: Path, previous: Path | None) -> None:
    try:
        if previous is not None and _has_files(media_root):
            media_root.rename(previous)
        elif media_root.exists():
            shutil.rmtree(media_root)
        staged.rename(media_root)
    except OSError as exc:
        # Runs after the commit: the data is restored whatever happens here, so say where the
        # files are instead of losing them.
        raise AppError(
            BackupErrorCode.MEDIA_FAILED,
            _(
                "The database was restored, but the uploaded files could not be put in place. "
                "They are in %(staged)s; move them to %(media)s by hand."
            )
            % {"staged": staged, "media": media_root},
            [str(exc)],
        ) from exc


def backup_restore(
    *,
    plan: RestorePlan,
    replace: bool,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
) -> RestoreSummary:
    """Replace the database's data and the uploads with the backup's, all or nothing.

    `plan` comes from `restore_plan`; `replace` must be true when the database holds data.
    The database part runs in one transaction; the uploads are unpacked beside MEDIA_ROOT
    first and swapped in only once that transaction has committed.
    """
    path = plan.path
    if plan.existing and not replace:
        raise AppError(
            ErrorCode.CONFLICT,
            _("The database already holds data; confirm with --yes to replace it."),
        )
    by_label = _models_by_label()
    media_root = Path(settings.MEDIA_ROOT)
    previous = _aside_name(media_root) if _has_files(media_root) else None

    with _open(path) as archive:
        # Checked again: the file may have changed since the plan was made.
        manifest = _read_checked(path, archive, using)
        ordered = [by_label[entry.label] for entry in manifest.models]
        staged = _stage_media(archive=archive, manifest=manifest, media_root=media_root)
        try:
            with transaction.atomic(using=using):
                _empty_tables(ordered, using)
                rows = 0
                for entry in manifest.models:
                    rows += _load_model(
                        archive=archive,
                        entry=entry,
                        model=by_label[entry.label],
                        using=using,
                        progress=progress,
                    )
                connection = connections[using]
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
                        cursor.execute(sql)
                # Deferred foreign keys would only fail at commit, with a vaguer message (and
                # never inside a test's transaction): check them now.
                connection.check_constraints(table_names=[m._meta.db_table for m in ordered])
                transaction.on_commit(
                    lambda: _swap_media(staged=staged, media_root=media_root, previous=previous),
                    using=using,
                )
        except (DeserializationError, DatabaseError, ValueError, LookupError) as exc:
            shutil.rmtree(staged, ignore_errors=True)
            raise AppError(
                BackupErrorCode.LOAD_FAILED,
                _("Restoring %(path)s failed; the database was left as it was.") % {"path": path},
                [str(exc)],
            ) from exc
        except AppError as exc:
            if exc.code != BackupErrorCode.MEDIA_FAILED:
                shutil.rmtree(staged, ignore_errors=True)
            raise
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    return RestoreSummary(
        path=path.resolve(),
        models=len(ordered),
        rows=rows,
        files=len(manifest.media),
        replaced_rows=plan.existing_rows,
        previous_media=previous,
    )
