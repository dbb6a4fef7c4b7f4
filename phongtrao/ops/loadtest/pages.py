"""`phongtrao bench pages`: what one request of each kind the load run sends costs, alone.

Runs in this one process on the load run's database (DATABASE_URL; `bench load` prepares it, or
this command does): each kind of request of the load run, as the same simulated users send it,
through Django's whole stack (middleware, session, user, view, template) with DEBUG off, without
the network and without any other request at the same time. Prints, per kind, the mean, median
and p95 of the time it takes (the CPU of the app and of the database, both on this machine) and
the queries it runs; puts them in docs/BENCHMARKS.md (--report). These are the figures that say
what a load run's capacity is made of: a machine answers about cores / mean requests a second.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from phongtrao.core.console import progress_writer
from phongtrao.ops.loadtest import prepare, results, users

BEGIN, END = "<!-- bench pages: begin -->", "<!-- bench pages: end -->"
HOST = "127.0.0.1"


@dataclass
class PageCost:
    kind: str
    mean: float  # milliseconds
    median: float
    p95: float
    queries: int


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--repeat", type=int, default=40, help="Timed requests of each kind (default 40)."
    )
    prepare.database_arguments(parser, section="pages")


def run(command: BaseCommand, **options) -> None:
    say = progress_writer(command.stderr)
    if options["repeat"] < 1:
        raise CommandError("--repeat must be at least 1.")
    prepare.database_ready(prepare_it=options["prepare"], say=say)
    plan = prepare.plan_make(writers=1)
    writer = _client(prepare.sessions_make(username=prepare.WRITER, count=1)[0])
    reader = _client(prepare.sessions_make(username=prepare.READER, count=1)[0])
    costs = []
    # As production runs: no debug cursor, no DEBUG pages; the host the client names allowed.
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[HOST]):
        for kind, send in requests_of(plan, writer=writer, reader=reader).items():
            say(f"{kind} …")
            costs.append(_measure(kind, send, options["repeat"]))
    about = results.machine() | {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    }
    lines = table(costs)
    command.stdout.write("\n".join(lines) + "\n")
    if options["report"] != "-":
        command = results.rerun_command(f"phongtrao bench pages --repeat {options['repeat']}")
        section = report(lines, about=about, repeat=options["repeat"], command=command)
        results.report_write(
            Path(options["report"]), section, begin=BEGIN, end=END,
            heading="## Pages: one request of each kind, alone",
        )  # fmt: skip
        say(f"Written to {options['report']}")


def _client(session: str) -> Client:
    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="vi")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    return client


def requests_of(plan: prepare.Plan, *, writer: Client, reader: Client) -> dict[str, Callable]:
    """Each kind of the load run's requests, sent as its simulated user sends it; each call
    returns the response, and raises when it is not what the user would get."""
    area = plan.areas[0][0]
    place = f"{plan.form}/{area}/{plan.period}/"
    code = plan.codes[0]
    version = {"cell": ""}
    numbers = iter(range(10_000_001, 20_000_000))
    pivot = urlencode(
        {"indicator": plan.codes[:3], "rows": "unit", "cols": "indicator",
         "period": plan.period, "compare": "on"},
        doseq=True,
    )  # fmt: skip
    report = urlencode({
        "kind": "festival", "unit": plan.commune_pk, "year": plan.period,
        "boundaries": "historical", "state": "submitted", "format": "docx",
    })  # fmt: skip

    def entry_page():
        response = _ok(writer.get(f"/reporting/entry/{place}"))
        version["cell"] = dict(users.CELL_VERSIONS.findall(response.text)).get(code, "")
        return response

    def cell_save():
        sent = {"value": str(next(numbers)), "version": version["cell"]}
        response = _ok(writer.post(
            f"/analytics/entry/{place}cell/{code}/", sent, headers={"HX-Request": "true"}
        ))  # fmt: skip
        if users.save_refused(response.text):
            raise CommandError(f"cell save: not saved:\n{response.text[:2000]}")
        version["cell"] = users.VERSION.search(response.text).group(1)
        return response

    return {
        "entry page": entry_page,
        "entry totals": lambda: _ok(
            writer.get(f"/analytics/entry-totals/{place}", headers={"HX-Request": "true"})
        ),
        "cell save": cell_save,
        "home": lambda: _ok(reader.get("/")),
        "dashboard": lambda: _ok(reader.get(f"/analytics/dashboard/{plan.province_pk}/")),
        "pivot": lambda: _ok(reader.get(f"/analytics/pivot/?{pivot}")),
        "report preview": lambda: _ok(
            writer.get(f"/documents/preview/?{report}", headers={"HX-Request": "true"})
        ),
    }


def _ok(response):
    if response.status_code != 200:
        raise CommandError(f"{response.request['PATH_INFO']}: HTTP {response.status_code}")
    return response


def _measure(kind: str, send: Callable, repeat: int) -> PageCost:
    # The first requests load templates and code, and fill Django's caches: not a day's cost.
    for _n in range(3):
        send()
    with CaptureQueriesContext(connection) as captured:
        send()
    # Counted now: the next request's start empties the connection's log they are read from.
    queries = len(captured)
    times = []
    for _n in range(repeat):
        started = time.perf_counter()
        send()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return PageCost(
        kind=kind, mean=statistics.fmean(times), median=statistics.median(times),
        p95=results.percentile(times, 95), queries=queries,
    )  # fmt: skip


def table(costs: list[PageCost]) -> list[str]:
    lines = ["| kind | mean ms | median ms | p95 ms | queries |", "|---|---:|---:|---:|---:|"]
    lines += [
        f"| {c.kind} | {c.mean:.1f} | {c.median:.1f} | {c.p95:.1f} | {c.queries} |" for c in costs
    ]
    return lines


def report(lines: list[str], *, about: dict[str, str], repeat: int, command: str) -> str:
    return "\n".join([
        BEGIN,
        f"Run on {about['date']}: `nproc` {about['nproc']}, {about['ram']} RAM, {about['cpu']}; "
        f"load average before the run {about['load']}. Database: {about['database']}; "
        f"{repeat} timed requests of each kind, one at a time, in one process.",
        "",
        "```",
        command,
        "```",
        "",
        *lines,
        END,
    ]) + "\n"  # fmt: skip
