"""Production settings pass Django's deployment checklist with no warning (what `make check-deploy` runs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SECRET = "check-deploy-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"


# Settings come from VECHE_ENV here, as in production: nothing of the test run may leak into the check.
NOT_INHERITED = {
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' fixtures; never in production
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


def check_deploy(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment |= {
        "VECHE_ENV": "production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "veche.example.org",
        "VECHE_VAR_DIR": str(tmp_path),
        **overrides,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "veche.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    result = check_deploy(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_the_check_fails_on_an_insecure_production_setting(tmp_path):
    """The test above bites: DEBUG on in production is a deployment warning, and the command fails on it."""
    result = check_deploy(tmp_path, DEBUG="true")

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = check_deploy(tmp_path, SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
