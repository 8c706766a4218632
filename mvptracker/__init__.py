"""mvptracker: the open system technical-community recognition programs run on."""

__version__ = "0.1.0"  # before the Celery app: its import may read the settings, which read this

from mvptracker.celery import app as celery_app

__all__ = ["__version__", "celery_app"]
