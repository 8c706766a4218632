"""The production settings as an operator gets them: ``.env.example`` and nothing else.

The suite runs in-process under ``mvptracker.settings.test``; these helpers read the values
``mvptracker.settings.production`` computes in a fresh interpreter from the documented
variables only, so the header, cookie and lockout tests apply what production really sets
instead of a hand-copied guess.
"""

import json
import os
import secrets
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Settings the request path reads that production may set differently from the test settings.
SECURITY_SETTINGS = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_SAMESITE",
    "ACCOUNT_RATE_LIMITS",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_TIME",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_USERNAME_FORM_FIELD",
    "AXES_RESET_ON_SUCCESS",
    "AXES_IPWARE_PROXY_COUNT",
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AUTHENTICATION_BACKENDS",
    "MIDDLEWARE",
)

PROBE = """
import json, pickle, base64, django
from django.conf import settings
django.setup()
names = json.loads(input())
print(base64.b64encode(pickle.dumps({n: getattr(settings, n) for n in names})).decode())
"""


def documented_env(data_dir: Path) -> dict[str, str]:
    """The environment of a deployment made from ``.env.example``: its active lines, the two
    URLs docker-compose sets (commented there), a real random secret instead of the
    placeholder, and no other variable from this shell (no test settings, no DEBUG)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(ROOT))}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith(("# DATABASE_URL=", "# REDIS_URL=")):
            line = line[2:]
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        env[name.strip()] = value.strip()
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["MVPTRACKER_DATA_DIR"] = str(data_dir)
    return env


def run_manage(args: list[str], data_dir: Path, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**documented_env(data_dir), **extra_env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@lru_cache(maxsize=1)
def production_values() -> dict:
    """``SECURITY_SETTINGS`` as ``mvptracker.settings.production`` computes them."""
    import base64
    import pickle
    import tempfile

    with tempfile.TemporaryDirectory() as data_dir:
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=ROOT,
            env=documented_env(Path(data_dir)),
            input=json.dumps(SECURITY_SETTINGS),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
    # Our own child process, our own data: pickle keeps tuples and timedeltas as they are.
    return pickle.loads(base64.b64decode(result.stdout.strip().splitlines()[-1]))  # noqa: S301


def apply_production_security(settings) -> dict:
    """Give the running test settings production's security values (pytest-django's
    ``settings`` fixture restores them afterwards). Build clients *after* this: Django's
    SecurityMiddleware reads its settings when the client first loads the middleware."""
    values = production_values()
    for name, value in values.items():
        setattr(settings, name, value)
    return values
