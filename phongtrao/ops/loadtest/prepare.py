"""The database of a load run, before and after: the demo, a residential area of its own per
simulated user who writes, a session per simulated user; then every acknowledged write looked
for in the database."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import import_module
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.core.management.base import CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from phongtrao.accounts.models import User
from phongtrao.catalog.models import ReportForm
from phongtrao.core.models import AuditEvent
from phongtrao.ops.demo import COMMUNES, FESTIVAL_FORM, NATIONAL_ADMIN, ROLE_SUFFIX
from phongtrao.reporting.models import DataValue, ValueChange
from phongtrao.units.models import REFORM_DATE, Unit, UnitKind
from phongtrao.units.services import unit_create

# The areas the simulated users write to, under Bờ Y: nobody else's cells, so no conflicts.
AREA_NAME = "Khu thử tải {n:03d}"
DEMO_USERS = {f"{slug}_{suffix}" for slug in ["qn", *COMMUNES] for suffix in ROLE_SUFFIX.values()}
# Who the simulated users are: Bờ Y's clerk writes (each in a session of their own), the
# province's viewer reads dashboards and pivots.
WRITER, READER = "boy_nhaplieu", "qn_xem"


@dataclass(frozen=True)
class Plan:
    """What the simulated users need to know of the database."""

    form: str
    period: str
    codes: list[str]  # the form's number cells
    commune_pk: int
    province_pk: int
    areas: list[tuple[int, str]]  # (pk, code) of each writer's own area


@dataclass(frozen=True)
class Write:
    """A value the server said it saved."""

    unit_pk: int
    code: str
    period: str
    value: str
    via: str  # "cell" or "import"


@dataclass
class Check:
    checked: int = 0
    missing: list[Write] = field(default_factory=list)


DEFAULT_REPORT = Path(settings.BASE_DIR).parent / "docs" / "BENCHMARKS.md"


def database_arguments(parser: CommandParser, *, section: str) -> None:
    """The options of every benchmark run on the load database: whether to prepare it, and
    the Markdown file whose `section` the figures replace."""
    parser.add_argument(
        "--no-prepare", dest="prepare", action="store_false",
        help="Skip migrate, units load and demo (the database already has them).",
    )  # fmt: skip
    parser.add_argument(
        "--report", default=str(DEFAULT_REPORT),
        help=f"The Markdown file whose {section} section is replaced (default "
        "docs/BENCHMARKS.md); '-' writes none.",
    )  # fmt: skip


def database_ready(*, prepare_it: bool, say: Callable[[str], None]) -> None:
    """The load database ready to measure: prepared (unless asked not to), holding nothing but
    the demo, and migrated."""
    if prepare_it:
        say("Preparing the database: migrate, units load, demo …")
        database_prepare()
    check_own_database()
    check_migrated()


def check_own_database() -> None:
    """Refuse a database that holds anything but the demo: the run writes thousands of values."""
    others = User.objects.exclude(username__in=DEMO_USERS | {NATIONAL_ADMIN})
    if others.exists():
        raise CommandError(
            "bench load writes thousands of values: run it on a database of its own "
            f"(DATABASE_URL), not one with users such as {others.first().username}."
        )


def check_migrated() -> None:
    """Refuse a database behind the code (`--no-prepare` after new migrations): every page
    would fail and the figures would be those of error pages."""
    executor = MigrationExecutor(connection)
    missing = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if missing:
        raise CommandError(
            f"The database lacks {len(missing)} migrations (first: {missing[0][0]}): "
            "run without --no-prepare."
        )


def database_prepare() -> None:
    """As `make run` prepares it: migrations, the units, the demo (each does nothing twice)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("units", "load", stdout=StringIO())
    # Once only: the demo fills and approves the reports of every area under its communes,
    # and would approve the areas of a previous run, whose saves it would then refuse.
    if not User.objects.filter(username=WRITER).exists():
        call_command("demo", stdout=StringIO())


def plan_make(*, writers: int) -> Plan:
    form = ReportForm.objects.get(code=FESTIVAL_FORM)
    commune = Unit.objects.get(code=COMMUNES["boy"], kind=UnitKind.COMMUNE, valid_from=REFORM_DATE)
    areas = []
    for n in range(1, writers + 1):
        name = AREA_NAME.format(n=n)
        area = Unit.objects.filter(parent=commune, name=name).first() or unit_create(
            actor=None, parent=commune, kind=UnitKind.RESIDENTIAL_AREA, name=name,
            type_name="Thôn", source="load",
        )  # fmt: skip
        areas.append((area.pk, area.code))
    codes = [
        item.indicator.code
        for item in form.items.select_related("indicator").order_by("section__order", "order")
        if item.indicator.is_numeric
    ]
    return Plan(
        form=form.code,
        period=str(timezone.localdate().year),
        codes=codes,
        commune_pk=commune.pk,
        province_pk=commune.parent_id,
        areas=areas,
    )


def sessions_make(*, username: str, count: int) -> list[str]:
    """`count` sessions of one user, as a login leaves them: each simulated user has its own,
    and none pays for hashing a password (a login is once a day, not what is measured)."""
    user = User.objects.get(username=username)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for _n in range(count):
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def _same(stored: object, sent: str) -> bool:
    try:
        return Decimal(str(stored)) == Decimal(sent)
    except (InvalidOperation, TypeError):
        return str(stored) == sent


def writes_check(writes: list[Write]) -> Check:
    """Every acknowledged write in the database: the cell's value now, or one it held since (in
    its audit events for a cell save, its import changes for an import)."""
    check = Check(checked=len(writes))
    if not writes:
        return check
    units = {w.unit_pk for w in writes}
    values = {
        (v.unit_id, v.indicator.code, v.period): v
        for v in DataValue.objects.filter(unit_id__in=units).select_related("indicator")
    }
    held: dict[int, list[object]] = {}
    pks = [v.pk for v in values.values()]
    value_type = ContentType.objects.get_for_model(DataValue)
    for object_id, changes in AuditEvent.objects.filter(
        content_type=value_type, object_id__in=[str(pk) for pk in pks]
    ).values_list("object_id", "changes"):
        if "value" in changes:
            held.setdefault(int(object_id), []).append(changes["value"][1])
    for value_id, after in ValueChange.objects.filter(value_id__in=pks).values_list(
        "value_id", "after"
    ):
        held.setdefault(value_id, []).append(after)
    for write in writes:
        value = values.get((write.unit_pk, write.code, write.period))
        found = value is not None and (
            _same(value.value, write.value)
            or any(_same(h, write.value) for h in held.get(value.pk, []) if h is not None)
        )
        if not found:
            check.missing.append(write)
    return check
