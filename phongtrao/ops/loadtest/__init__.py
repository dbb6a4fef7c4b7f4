"""`phongtrao bench load`: simulated users against gunicorn, then two gunicorns behind nginx.

Run it on a database of its own (DATABASE_URL; PostgreSQL for figures that mean anything): it
prepares the demo there (as `make run`), adds a residential area per simulated user who writes,
starts the servers on the loopback with DEBUG off, and runs the issue's mix of users for a
bounded time: 70% data entry (the entry screen and the totals under its cells, cell saves with
values no other write has, each answered with the cell's new total), 20% dashboards and pivot
tables, 10% small CSV imports (preview then commit) and festival report previews. Afterwards
every write a server acknowledged is looked for in the database. Prints the figures per kind
of request (p50/p95/p99, errors), requests per second and lost writes, and puts them in
docs/BENCHMARKS.md (--report).
Exit status 1 when a write was lost.
"""

import json
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from phongtrao.core.console import progress_writer
from phongtrao.ops.loadtest import prepare, results, servers, users

SCENARIOS = ("single", "nginx")


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--users", type=int, default=200, help="Simulated users (default 200).")
    parser.add_argument(
        "--duration", type=float, default=120, help="Seconds each scenario runs (default 120)."
    )
    parser.add_argument(
        "--ramp", type=float, default=None,
        help="Seconds over which the users start, evenly (default: a tenth of the duration).",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, default=2.0,
        help="A user's mean pause between two actions, in seconds (default 2).",
    )  # fmt: skip
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "both"], default="both",
        help="single: one gunicorn; nginx: two gunicorns behind nginx; both (default).",
    )  # fmt: skip
    parser.add_argument(
        "--workers", type=int, default=4,
        help="gunicorn workers in all (default 4); behind nginx, half on each server.",
    )  # fmt: skip
    prepare.database_arguments(parser, section="load")
    parser.add_argument("--seed", type=int, default=1, help="Seed of the users' choices.")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")


def run(command: BaseCommand, **options) -> None:
    say = progress_writer(command.stderr)
    prepare.database_ready(prepare_it=options["prepare"], say=say)
    counts = users.kinds_of(options["users"])
    writers = counts[users.ENTRY] + counts[users.IMPORTS]
    plan = prepare.plan_make(writers=writers)
    ramp = options["ramp"] if options["ramp"] is not None else options["duration"] / 10
    chosen = SCENARIOS if options["scenario"] == "both" else (options["scenario"],)
    scenarios = []
    with tempfile.TemporaryDirectory(prefix="phongtrao-load-") as tmp:
        env = servers.server_environment(Path(tmp))
        servers.static_collect(env)
        for name in chosen:
            scenarios.append(_scenario(name, plan=plan, env=env, tmp=Path(tmp), counts=counts,
                                       say=say, options=options | {"ramp": ramp}))  # fmt: skip
    about = results.machine() | {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "think": f"{options['think']:g}",
    }
    if options["json"]:
        command.stdout.write(json.dumps(results.as_json(scenarios, about), indent=2))
    else:
        for scenario in scenarios:
            command.stdout.write("\n".join(results.table(scenario)) + "\n")
    if options["report"] != "-":
        rerun = results.rerun_command(
            f"phongtrao bench load --users {options['users']} --duration {options['duration']:g}"
        )
        section = results.report(scenarios, about=about, command=rerun)
        results.report_write(Path(options["report"]), section)
        say(f"Written to {options['report']}")
    lost = sum(s.lost for s in scenarios)
    if lost:
        raise CommandError(f"{lost} acknowledged writes are not in the database.", returncode=1)


def _scenario(name: str, *, plan: prepare.Plan, env: dict, tmp: Path, counts: dict[str, int],
              say, options: dict) -> results.Scenario:  # fmt: skip
    sessions = {
        users.ENTRY: prepare.sessions_make(username=prepare.WRITER, count=counts[users.ENTRY]),
        users.IMPORTS: prepare.sessions_make(username=prepare.WRITER, count=counts[users.IMPORTS]),
        users.DASHBOARDS: prepare.sessions_make(
            username=prepare.READER, count=counts[users.DASHBOARDS]
        ),
    }
    workers = options["workers"]
    if name == "single":
        title = f"One gunicorn, {workers} workers"
        started = servers.gunicorn(
            port=servers.free_port(), workers=workers, env=env, log=tmp / "gunicorn.log"
        )
    else:
        title = f"Two gunicorns of {max(1, workers // 2)} workers behind nginx"
        started = servers.behind_nginx(servers=2, workers=max(1, workers // 2), env=env, tmp=tmp)
    say(f"{title}: starting …")
    with started as url:
        host, port = url.removeprefix("http://").split(":")
        failed = users.warm_up(
            host=host, port=int(port), plan=plan, writer=sessions[users.ENTRY][0],
            reader=sessions[users.DASHBOARDS][0], workers=workers,
        )  # fmt: skip
        if failed:
            # Measuring error pages would say nothing: the server's own words instead.
            log = tmp / ("gunicorn.log" if name == "single" else "gunicorn-1.log")
            raise CommandError(
                "The pages do not work before any load: "
                + "; ".join(failed)
                + "\n"
                + log.read_text()[-3000:]
            )
        say(f"{title}: {options['users']} users for {options['duration']:g} s on {url} …")
        began = time.monotonic()
        record = users.users_run(
            host=host, port=int(port), plan=plan, sessions=sessions, users=options["users"],
            duration=options["duration"], ramp=options["ramp"], think=options["think"],
            seed=options["seed"],
        )  # fmt: skip
        seconds = time.monotonic() - began
    check = prepare.writes_check(record.writes)
    say(f"{title}: {len(record.samples)} requests, {check.checked} writes checked, "
        f"{len(check.missing)} missing")  # fmt: skip
    for write in check.missing[:20]:
        say(f"  missing: {write}")
    return results.scenario_make(
        title, users=options["users"], seconds=seconds, samples=record.samples,
        writes=check.checked, lost=len(check.missing),
    )  # fmt: skip
