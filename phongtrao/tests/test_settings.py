import os
import secrets
import subprocess
import sys


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    # given production settings: DEBUG off, a real key, the site's host name
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "phongtrao.congan.quangngai.gov.vn",
        "PHONGTRAO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    # when running Django's deployment checks
    result = subprocess.run(
        [sys.executable, "-m", "phongtrao.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
    )
    # then there is nothing to warn about but HSTS preloading, left off on purpose
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (1 silenced).\n"


def _production_setting(name: str, tmp_path, **env: str) -> str:
    env = os.environ | {"PHONGTRAO_VAR_DIR": str(tmp_path), "DEBUG": "0"} | env
    env["DJANGO_SETTINGS_MODULE"] = "phongtrao.settings"
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return run.stdout.strip() or run.stderr.strip().splitlines()[-1]


def test_production_settings_without_a_secret_key_refuse_to_start(tmp_path):
    # given DEBUG off and no SECRET_KEY; when the settings load
    env = os.environ | {"DEBUG": "0", "PHONGTRAO_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    code = "import django; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    # then they stop with an error naming the variable, and no key was made up under var/
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: Set SECRET_KEY in the environment "
        "(or DEBUG=1 on a developer's machine)."
    )
    assert not (tmp_path / "secret_key").exists()


def test_hsts_preloading_is_off_unless_asked_for(tmp_path):
    assert _production_setting("SECURE_HSTS_PRELOAD", tmp_path) == "False"
    assert _production_setting("SECURE_HSTS_SECONDS", tmp_path) == "31536000"


def test_hsts_preloading_is_on_when_asked_for(tmp_path):
    value = _production_setting("SECURE_HSTS_PRELOAD", tmp_path, PHONGTRAO_HSTS_PRELOAD="1")
    assert value == "True"


def test_a_secret_key_is_generated_once_and_kept_on_a_developers_machine(tmp_path):
    env = os.environ | {"PHONGTRAO_VAR_DIR": str(tmp_path), "DEBUG": "1"}
    env.pop("SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    env["DJANGO_SETTINGS_MODULE"] = "phongtrao.settings"
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    assert first == second
    assert first.strip() == (tmp_path / "secret_key").read_text().strip()
    assert len(first.strip()) >= 50


SQLITE_TWO_WRITERS = """
import threading
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE cell (value INTEGER)")
first_read, second_done, errors = threading.Event(), threading.Event(), []

def first():  # reads, then writes: a service that checks before it saves
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM cell")
                first_read.set()
                second_done.wait(0.5)
                cursor.execute("INSERT INTO cell VALUES (1)")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        first_read.set()
        connection.close()

def second():  # saves while the first is between its read and its write
    first_read.wait()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO cell VALUES (2)")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        second_done.set()
        connection.close()

threads = [threading.Thread(target=first), threading.Thread(target=second)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM cell ORDER BY value")
    print(errors, [row[0] for row in cursor.fetchall()])
"""


def test_two_sqlite_transactions_at_once_both_save_one_after_the_other(tmp_path):
    # given the app's SQLite settings, and two transactions at once: the first reads, then the
    # second writes, then the first writes
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "phongtrao.settings",
        "PHONGTRAO_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    # when both run
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_TWO_WRITERS], env=env, capture_output=True, text=True
    )
    # then neither fails with "database is locked": the second waited for the first
    assert (result.returncode, result.stderr, result.stdout) == (0, "", "[] [1, 2]\n")
