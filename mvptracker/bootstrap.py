"""Which settings module a process runs with, decided before Django is imported.

Every entry point (manage.py, wsgi.py, asgi.py, celery.py) calls :func:`choose_settings_module`.
It reads ``.env`` first (never overriding the process environment), so a ``.env`` copied from
``.env.example`` chooses production; when nothing names a module the choice is production too.
The DEBUG-on local settings are used only when asked for (``make run`` and ``make lint`` ask;
a developer may also put ``DJANGO_SETTINGS_MODULE=mvptracker.settings.local`` in ``.env``). A
forgotten variable therefore fails closed (production refuses to start without a secret key)
instead of serving tracebacks to the internet.
"""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_MODULE = "mvptracker.settings.production"


def env_file() -> Path:
    """The ``.env`` file read at start-up; ``MVPTRACKER_ENV_FILE`` names another one."""
    return Path(os.environ.get("MVPTRACKER_ENV_FILE") or BASE_DIR / ".env")


def read_env_file() -> None:
    path = env_file()
    if path.is_file():
        environ.Env.read_env(path, overwrite=False)


def choose_settings_module() -> str:
    read_env_file()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS_MODULE)
    return os.environ["DJANGO_SETTINGS_MODULE"]
