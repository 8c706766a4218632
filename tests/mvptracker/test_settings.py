"""Settings are read from the environment: each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']), "
    "'pool': db.get('OPTIONS', {}).get('pool'), 'broker': settings.CELERY_BROKER_URL, "
    "'cache': settings.CACHES['default']['BACKEND'], 'debug': settings.DEBUG, "
    "'demo': settings.MVPTRACKER_DEMO_MODE}))"
)
CLEARED = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "EMAIL_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run_settings(module: str, tmp_path, **env_vars) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE=module, MVPTRACKER_DATA_DIR=str(tmp_path), **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_embedded_default_when_nothing_is_set(tmp_path):
    config = run_settings("mvptracker.settings.local", tmp_path)
    assert config["engine"] == "django.db.backends.sqlite3"
    assert config["name"] == str(tmp_path / "db.sqlite3")
    assert config["broker"] == "filesystem://"
    assert config["cache"].endswith("LocMemCache")
    assert config["demo"] is True


def test_settings_postgresql_and_redis_from_urls(tmp_path):
    config = run_settings(
        "mvptracker.settings.local",
        tmp_path,
        DATABASE_URL="postgres://app@db.internal:5432/mvp",
        REDIS_URL="redis://cache:6379/2",
    )
    assert config["engine"] == "django.db.backends.postgresql"
    assert config["name"] == "mvp"
    assert config["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert config["broker"] == "redis://cache:6379/2"
    assert config["cache"].endswith("RedisCache")
    assert config["demo"] is False


def test_settings_production_requires_secret_key(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        run_settings("mvptracker.settings.production", tmp_path, DJANGO_ALLOWED_HOSTS="x.org")
    assert "DJANGO_SECRET_KEY" in excinfo.value.stderr


def test_settings_production_passes_deploy_checks(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="mvptracker.settings.production",
        MVPTRACKER_DATA_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="k8Tz1u-Qe7wq9-a3c5v7b9n1m3l5k7j9h1g3f5d7s9a1p3o5i7u9y1t3r5e7w9q1",
        DJANGO_ALLOWED_HOSTS="mvp.example.org",
        DATABASE_URL="postgres://app@db.internal:5432/mvp",
        REDIS_URL="redis://cache:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
