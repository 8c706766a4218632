"""The settings module is chosen after `.env` is read, and production when nothing asks."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k8Tz1u-Qe7wq9-a3c5v7b9n1m3l5k7j9h1g3f5d7s9a1p3o5i7u9y1t3r5e7w9q1"
WSGI_PROBE = (
    "import json; from mvptracker.wsgi import application; from django.conf import settings; "
    "print(json.dumps({'module': settings.SETTINGS_MODULE, 'debug': settings.DEBUG, "
    "'hosts': settings.ALLOWED_HOSTS}))"
)


def clean_env(tmp_path, env_file: Path | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "AXES_", "SITE_URL"))
    }
    env["MVPTRACKER_DATA_DIR"] = str(tmp_path / "data")
    env["MVPTRACKER_ENV_FILE"] = str(env_file or tmp_path / "absent.env")
    env["PYTHONPATH"] = str(ROOT)
    return env


def env_like_the_example(tmp_path) -> Path:
    """.env.example with only what it says to fill in: the secret (the host is already set)."""
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("DJANGO_SECRET_KEY="):
            line = f"DJANGO_SECRET_KEY={SECRET}"
        lines.append(line)
    path = tmp_path / "env"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_wsgi_with_a_copied_env_example_runs_production_with_debug_off(tmp_path):
    env = clean_env(tmp_path, env_like_the_example(tmp_path))
    result = run([sys.executable, "-c", WSGI_PROBE], env)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config == {
        "module": "mvptracker.settings.production",
        "debug": False,
        "hosts": ["mvp.example.org"],
    }


def test_check_deploy_passes_from_the_env_file_alone(tmp_path):
    env = clean_env(tmp_path, env_like_the_example(tmp_path))
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_unfilled_refuses_to_start(tmp_path):
    env = clean_env(tmp_path, ROOT / ".env.example")
    result = run([sys.executable, "-c", WSGI_PROBE], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_nothing_set_chooses_production_not_local(tmp_path):
    env = clean_env(tmp_path, None)
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "settings.local" not in result.stderr


def test_process_environment_wins_over_the_env_file(tmp_path):
    env = clean_env(tmp_path, env_like_the_example(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "mvptracker.settings.local"
    result = run([sys.executable, "-c", WSGI_PROBE], env)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout.strip().splitlines()[-1])
    assert config["module"] == "mvptracker.settings.local"
    assert config["debug"] is True
