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
    # then there is nothing to warn about
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_a_secret_key_is_generated_once_and_kept(tmp_path):
    env = os.environ | {"PHONGTRAO_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    run = [sys.executable, "-c", f"import django; django.setup(); {code}"]
    env["DJANGO_SETTINGS_MODULE"] = "phongtrao.settings"
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    second = subprocess.run(run, env=env, capture_output=True, text=True, check=True).stdout
    assert first == second
    assert first.strip() == (tmp_path / "secret_key").read_text().strip()
    assert len(first.strip()) >= 50
