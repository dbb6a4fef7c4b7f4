"""The servers a load run measures, on the loopback only: gunicorn as production runs it, and for
the second scenario two of them behind nginx (Debian's, run as this user from a directory of
its own: nothing of the system's nginx is touched)."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from django.conf import settings

NGINX = Path("/usr/sbin/nginx")
# The production settings of gunicorn, when the deployment provides them (docs/deploy.md).
GUNICORN_CONF = Path(settings.BASE_DIR).parent / "deploy" / "gunicorn.conf.py"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_environment(var_dir: Path) -> dict[str, str]:
    """The servers run as production does: DEBUG off, the database of this command, persistent
    database connections; plain HTTP, as on the loopback there is no TLS to terminate. The
    secret key is this process's, which signed the simulated users' sessions."""
    database = settings.DATABASES["default"]
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{database['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PHONGTRAO_DEMO"}}
    return env | {
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "PHONGTRAO_HTTPS": "0",
        "CONN_MAX_AGE": "60",
        "PHONGTRAO_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
        # No worker runs here: a confirmed import is written by the request that confirms it,
        # so what the server acknowledged can be looked for at once.
        "PHONGTRAO_JOBS": "inline",
        "DJANGO_SETTINGS_MODULE": "phongtrao.settings",
        # Hashed, compressed static files served by WhiteNoise, as in production, whatever the
        # calling environment says (the test suite turns the manifest off for itself).
        "PHONGTRAO_STATIC_MANIFEST": "1",
        "STATIC_ROOT": str(var_dir / "static"),
    }


def static_collect(env: dict[str, str]) -> None:
    """collectstatic into the run's own directory, as a deployment's upgrade step does."""
    command = [sys.executable, "-m", "phongtrao.cli", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError(f"{url} did not start:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.3)


@contextmanager
def _process(command: list[str], env: dict, log: Path, url: str) -> Iterator[None]:
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(url, process, log)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn(*, port: int, workers: int, env: dict, log: Path) -> Iterator[str]:
    """gunicorn with `workers` synchronous workers on the loopback; its URL."""
    command = [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONF.exists():
        command += ["--config", str(GUNICORN_CONF)]
    else:
        command += ["phongtrao.wsgi:application"]
    command += ["--workers", str(workers), "--bind", f"{HOST}:{port}", "--access-logfile", "-"]
    url = f"http://{HOST}:{port}"
    with _process(command, env, log, f"{url}/accounts/login/"):
        yield url


NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    client_max_body_size 10m;
    upstream phongtrao {{
        least_conn;
{servers}
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://phongtrao;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


@contextmanager
def behind_nginx(*, servers: int, workers: int, env: dict, tmp: Path) -> Iterator[str]:
    """`servers` gunicorns of `workers` workers each, behind one nginx; nginx's URL."""
    if not NGINX.exists():
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    ports = [free_port() for _n in range(servers)]
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(NGINX_CONF.format(
        tmp=tmp, host=HOST, port=port,
        servers="\n".join(f"        server {HOST}:{p};" for p in ports),
    ))  # fmt: skip
    with ExitStack() as stack:
        for n, app_port in enumerate(ports, start=1):
            log = tmp / f"gunicorn-{n}.log"
            stack.enter_context(gunicorn(port=app_port, workers=workers, env=env, log=log))
        url = f"http://{HOST}:{port}"
        command = [str(NGINX), "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "nginx-error.log"),
                   "-g", "daemon off;"]  # fmt: skip
        stack.enter_context(_process(command, env, tmp / "nginx.log", f"{url}/accounts/login/"))
        yield url
