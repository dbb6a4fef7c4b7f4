"""The simulated users: each a thread with its own session, doing what a person on that page
does, timing every request, until the run's end.

The client is the standard library's http.client: the client shares the machine's cores with
the servers it measures, and it is the lightest there is. A new connection per request, as
gunicorn's synchronous workers close each one after answering.
"""

import http.client
import itertools
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from phongtrao.ops.loadtest.prepare import Plan, Write

# What each kind of simulated user does, and its share of the users (the mix).
ENTRY, DASHBOARDS, IMPORTS = "entry", "dashboards", "imports"
MIX = ((ENTRY, 0.7), (DASHBOARDS, 0.2), (IMPORTS, 0.1))
CELLS_PER_VISIT = 3
VERSION = re.compile(r'name="version" value="(\d*)"')
# Each cell of the entry screen and the version it holds (its form's hidden input).
CELL_VERSIONS = re.compile(r'id="cell-([A-Z0-9_]+)".*?name="version" value="(\d*)"', re.S)
IMPORT_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@dataclass
class Sample:
    kind: str  # the request's kind, as the results table names it
    seconds: float
    error: str = ""  # why it counts as an error; empty when it did what it should


@dataclass
class Record:
    """What every simulated user measured and every write the servers acknowledged."""

    samples: list[Sample] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1001))

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def wrote(self, write: Write) -> None:
        with self.lock:
            self.writes.append(write)

    def number(self) -> str:
        """A value no other write of the run has, so each write can be found again."""
        with self.lock:
            return str(next(self.numbers))


class Browser:
    """One simulated user's session against one address."""

    def __init__(self, host: str, port: int, session: str, record: Record) -> None:
        self.host, self.port, self.record = host, port, record
        # Django accepts a CSRF secret of our choosing when the cookie and the header agree.
        self.csrf = secrets.token_hex(16)
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"

    def request(
        self, kind: str, method: str, path: str, *, body: bytes | None = None,
        content_type: str = "", expect: int = 200, htmx: bool = False,
        judge: Callable[[str], str] | None = None,
    ) -> str | None:  # fmt: skip
        """The page's text, or None after recording why the request failed. `judge` says what
        is wrong with an answer that came back as expected (empty: nothing)."""
        headers = {"Cookie": self.cookie, "Accept-Language": "vi"}
        if method == "POST":
            headers |= {"X-CSRFToken": self.csrf, "Content-Type": content_type}
        if htmx:
            headers["HX-Request"] = "true"
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            connection.close()
        except OSError as exc:
            self.record.add(Sample(kind, time.perf_counter() - started, type(exc).__name__))
            return None
        seconds = time.perf_counter() - started
        if response.status != expect:
            self.record.add(Sample(kind, seconds, f"HTTP {response.status}"))
            return None
        error = judge(text) if judge else ""
        self.record.add(Sample(kind, seconds, error))
        return None if error else text


def save_refused(text: str) -> str:
    """Why an answered save did not save ("" when it did): a refusal the cell shows (a
    conflict, a closed form)."""
    return "" if 'class="ok"' in text else "not saved"


def _previewed(text: str) -> str:
    return "" if IMPORT_TOKEN.search(text) else "refused"


def _think(rng: random.Random, think: float, until: float) -> bool:
    """A person's pause between two actions (uniform around `think`); False once time is up."""
    time.sleep(max(0.0, min(rng.uniform(0.5, 1.5) * think, until - time.monotonic())))
    return time.monotonic() < until


def entry_user(browser: Browser, plan: Plan, area: tuple[int, str], *, think: float,
               until: float, rng: random.Random) -> None:  # fmt: skip
    """Opens its area's entry screen (the page, then the totals under its cells, as the page
    asks), saves a few cells (each answer carries the cell's new total), again and again."""
    unit_pk = area[0]
    place = f"{plan.form}/{unit_pk}/{plan.period}/"
    base = f"/reporting/entry/{place}"
    totals = f"/analytics/entry-totals/{place}"
    while _think(rng, think, until):
        page = browser.request("entry page", "GET", base)
        if page is None:
            continue
        browser.request("entry totals", "GET", totals, htmx=True)
        versions = dict(CELL_VERSIONS.findall(page))
        for code in rng.sample(plan.codes, CELLS_PER_VISIT):
            if not _think(rng, think, until):
                return
            value = browser.record.number()
            body = urlencode({"value": value, "version": versions.get(code, "")}).encode()
            text = browser.request(
                "cell save", "POST", f"/analytics/entry/{place}cell/{code}/", body=body, htmx=True,
                content_type="application/x-www-form-urlencoded", judge=save_refused,
            )  # fmt: skip
            if text is None:
                continue
            browser.record.wrote(Write(unit_pk, code, plan.period, value, "cell"))
            found = VERSION.search(text)
            versions[code] = found.group(1) if found else ""


def dashboard_user(browser: Browser, plan: Plan, *, think: float, until: float,
                   rng: random.Random) -> None:  # fmt: skip
    """The province's viewer: the home page, the province's dashboard, a pivot table."""
    # The province's communes by three indicators this year, beside last year's figures.
    pivot = urlencode(
        {"indicator": rng.sample(plan.codes, 3), "rows": "unit", "cols": "indicator",
         "period": plan.period, "compare": "on"},
        doseq=True,
    )  # fmt: skip
    pages = [
        ("home", "/"),
        ("dashboard", f"/analytics/dashboard/{plan.province_pk}/"),
        ("pivot", f"/analytics/pivot/?{pivot}"),
    ]
    while _think(rng, think, until):
        kind, path = rng.choice(pages)
        browser.request(kind, "GET", path)


def _multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(12)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def import_user(browser: Browser, plan: Plan, area: tuple[int, str], *, think: float,
                until: float, rng: random.Random) -> None:  # fmt: skip
    """Imports a small CSV of its area's figures (preview, then confirm), or previews the
    commune's festival report, in turn."""
    unit_pk, unit_code = area
    report = urlencode({
        "kind": "festival", "unit": plan.commune_pk, "year": plan.period,
        "boundaries": "historical", "state": "submitted", "format": "docx",
    })  # fmt: skip
    while _think(rng, think, until):
        if rng.random() < 0.5:
            browser.request("report preview", "GET", f"/documents/preview/?{report}", htmx=True)
            continue
        rows = [(code, browser.record.number()) for code in rng.sample(plan.codes, 3)]
        csv = "indicator,unit,period,value,comment\n" + "".join(
            f"{code},{unit_code},{plan.period},{value},\n" for code, value in rows
        )
        body, content_type = _multipart({"format": "csv"}, "thu-tai.csv", csv.encode())
        text = browser.request(
            "import preview", "POST", "/reporting/import/", body=body,
            content_type=content_type, judge=_previewed,
        )  # fmt: skip
        token = IMPORT_TOKEN.search(text or "")
        if token is None:
            continue
        body = urlencode({"token": token.group(1)}).encode()
        done = browser.request(
            "import commit", "POST", "/reporting/import/confirm/", body=body, expect=302,
            content_type="application/x-www-form-urlencoded",
        )  # fmt: skip
        if done is not None:
            for code, value in rows:
                browser.record.wrote(Write(unit_pk, code, plan.period, value, "import"))


def users_run(*, host: str, port: int, plan: Plan, sessions: dict[str, list[str]], users: int,
              duration: float, ramp: float, think: float, seed: int) -> Record:  # fmt: skip
    """`users` simulated users in the issue's mix, started evenly over `ramp` seconds, each
    until `duration` seconds after the start."""
    record = Record()
    counts = kinds_of(users)
    until = time.monotonic() + duration
    threads: list[threading.Thread] = []
    areas = iter(plan.areas)
    keys = {kind: iter(keys) for kind, keys in sessions.items()}
    for n, kind in enumerate(k for k, count in counts.items() for _i in range(count)):
        browser = Browser(host, port, next(keys[kind]), record)
        rng = random.Random(seed * 100_003 + n)
        target: Callable[..., None]
        args: tuple = (browser, plan)
        if kind == DASHBOARDS:
            target = dashboard_user
        else:
            target = entry_user if kind == ENTRY else import_user
            args += (next(areas),)
        start = n * ramp / max(users, 1)
        threads.append(threading.Thread(
            target=_delayed, args=(start, target, args,
                                   {"think": think, "until": until, "rng": rng}), daemon=True,
        ))  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, until - time.monotonic()) + 120)
    return record


def _delayed(start: float, target: Callable[..., None], args: tuple, kwargs: dict) -> None:
    time.sleep(start)
    target(*args, **kwargs)


def kinds_of(users: int) -> dict[str, int]:
    """How many simulated users of each kind: the mix, rounded, adding up to `users`."""
    counts = {kind: int(users * share) for kind, share in MIX}
    counts[ENTRY] += users - sum(counts.values())
    return counts


def warm_up(
    *, host: str, port: int, plan: Plan, writer: str, reader: str, workers: int
) -> list[str]:
    """Every page once per worker and more, unrecorded: a worker's first request of a page
    loads its templates and code, which is not what a day's use costs. Returns what failed."""
    area = plan.areas[0][0]
    pages = [
        (writer, f"/reporting/entry/{plan.form}/{area}/{plan.period}/"),
        (writer, f"/analytics/entry-totals/{plan.form}/{area}/{plan.period}/"),
        (writer, "/reporting/import/"),
        (writer, f"/documents/preview/?kind=festival&unit={plan.commune_pk}&year={plan.period}"
                 "&boundaries=historical&state=submitted&format=docx"),
        (reader, "/"),
        (reader, f"/analytics/dashboard/{plan.province_pk}/"),
        (reader, f"/analytics/pivot/?indicator={plan.codes[0]}&period={plan.period}"),
    ]  # fmt: skip
    record = Record()

    def visit() -> None:
        for session, path in pages * 2:
            Browser(host, port, session, record).request(path, "GET", path)

    threads = [threading.Thread(target=visit) for _n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted({f"{sample.kind}: {sample.error}" for sample in record.samples if sample.error})
