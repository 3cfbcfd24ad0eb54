"""Settings read the environment once, at import: each case imports them in a fresh process."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import lifelong

SRC = str(Path(lifelong.__file__).resolve().parent.parent)
PRODUCTION = {
    "LIFELONG_SECRET_KEY": secrets.token_urlsafe(50),
    "LIFELONG_ALLOWED_HOSTS": "lifelong.example.gov.vn",
    "LIFELONG_SITE_URL": "https://lifelong.example.gov.vn",
}


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the interpreter with only `env` (plus PATH and the source folder) in its environment."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": SRC, **env}
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _settings(names: list[str], env: dict[str, str], cwd: Path) -> dict[str, Any]:
    code = (
        "import json, lifelong.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}, default=str))"
    )
    done = _run(["-c", code], env, cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    # when
    done = _run(["-c", "import lifelong.settings"], {}, tmp_path)
    # then
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "LIFELONG_SECRET_KEY" in done.stderr


def test_command_explains_a_missing_secret_key_without_a_traceback(tmp_path):
    # when
    done = _run(["-m", "lifelong", "check"], {}, tmp_path)
    # then
    assert done.returncode == 2
    assert "LIFELONG_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr


def test_demo_generates_a_secret_key_once_and_keeps_it_in_the_data_dir(tmp_path):
    # given
    env = {"LIFELONG_DEMO": "1", "LIFELONG_DATA_DIR": str(tmp_path / "data")}
    # when
    first = _settings(["SECRET_KEY", "DEBUG"], env, tmp_path)
    second = _settings(["SECRET_KEY"], env, tmp_path)
    # then
    key_file = tmp_path / "data" / "demo-secret-key"
    assert key_file.read_text(encoding="utf-8").strip() == first["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(str(first["SECRET_KEY"])) >= 50
    assert second["SECRET_KEY"] == first["SECRET_KEY"]
    assert first["DEBUG"] is False


def test_database_defaults_to_sqlite_in_the_data_dir(tmp_path):
    # when
    found = _settings(["DATABASES"], {**PRODUCTION, "LIFELONG_DATA_DIR": str(tmp_path)}, tmp_path)
    # then
    db = found["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "lifelong.sqlite3")


def test_database_url_switches_to_postgresql(tmp_path):
    # given
    url = "postgres://lifelong:pw@db.internal:5432/lifelong"
    # when
    found = _settings(["DATABASES"], {**PRODUCTION, "DATABASE_URL": url}, tmp_path)
    # then
    db = found["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["HOST"], db["PORT"]) == (
        "lifelong",
        "lifelong",
        "db.internal",
        5432,
    )


def test_production_environment_passes_check_deploy(tmp_path):
    # given
    env = {**PRODUCTION, "LIFELONG_DATA_DIR": str(tmp_path / "data")}
    # when
    done = _run(["-m", "lifelong", "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    # then
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
