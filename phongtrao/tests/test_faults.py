"""Faults a deployment meets: the database restarting while people work (docs/deploy.md).

A PostgreSQL cluster of the test's own (initdb, pg_ctl), never the shared server, and the app
under `phongtrao serve` (gunicorn, deploy/gunicorn.conf.py) as in production.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
CLI = [sys.executable, "-m", "phongtrao.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """initdb refuses root: as root, the cluster belongs to the `postgres` user."""

    def __init__(self, root: Path) -> None:
        self.bin = Path(PG_BIN[-1])
        self.data, self.port = root / "pgdata", _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(root, "postgres")
        self.run("initdb", "-A", "trust", "-U", "postgres", "-D", str(self.data))

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args], check=True, capture_output=True
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.data / "log"),
                 "-o", options)  # fmt: skip

    def stop(self) -> None:
        self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not PG_BIN or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("PostgreSQL's server programs are not installed")
    # Not under pytest's tmp_path: only root may enter that, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="phongtrao-pg-"))
    try:
        cluster = Cluster(root)
        cluster.start()
        yield cluster
        subprocess.run([*cluster.as_user, str(cluster.bin / "pg_ctl"), "stop", "-m",
                        "immediate", "-D", str(cluster.data)], capture_output=True)  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def served(cluster, tmp_path) -> Iterator[str]:
    env = os.environ | {
        "DATABASE_URL": cluster.url,
        # Connections kept between requests: the restart must not leave a dead one in use.
        "CONN_MAX_AGE": "600",
        "PHONGTRAO_VAR_DIR": str(tmp_path),
        "PHONGTRAO_HTTPS": "0",
        "PHONGTRAO_STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PHONGTRAO_WEB_WORKERS": "1",
    }
    env.pop("DEBUG", None)
    # The login page reads only the session's table; every migration would take 20 s.
    subprocess.run([*CLI, "migrate", "sessions", "-v0"], env=env, check=True)
    port = _free_port()
    log = (tmp_path / "web.log").open("w")
    server = subprocess.Popen(
        [*CLI, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    deadline = time.monotonic() + 20
    while _get(url)[0] != 200:
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            pytest.fail((tmp_path / "web.log").read_text())
        time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def _get(url: str) -> tuple[int, str, str | None]:
    # A session cookie makes the page read the database (the session's row).
    request = urllib.request.Request(url, headers={"Cookie": "sessionid=" + "x" * 32})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers.get("Retry-After")
    except OSError:
        return 0, "", None


def test_a_database_restart_shows_try_again_and_the_app_recovers_by_itself(cluster, served):
    # given the app serving pages from its database
    assert _get(served)[0] == 200
    # when the database stops
    cluster.stop()
    # then a page says, in Vietnamese, to try again shortly
    status, body, retry_after = _get(served)
    assert (status, retry_after) == (503, "30")
    assert "Máy chủ bận, vui lòng thử lại" in body
    # and when it is back, the next page is served by the same app server, not restarted
    cluster.start()
    assert _get(served)[0] == 200
