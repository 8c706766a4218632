"""The Celery app. Settings (broker, beat schedule) come from Django settings under CELERY_."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

from mvptracker.bootstrap import choose_settings_module

choose_settings_module()

app = Celery("mvptracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_embedded_broker_folders(**_kwargs) -> None:
    """The filesystem transport needs its folders to exist before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


worker_init.connect(ensure_embedded_broker_folders)
beat_init.connect(ensure_embedded_broker_folders)


@worker_init.connect
def _warm_up(**_kwargs) -> None:
    # In the main process, before a prefork pool forks: the children inherit the frozen
    # start-up objects (see mvptracker.runtime).
    from mvptracker.runtime import warm_up

    warm_up()


@app.on_after_finalize.connect
def _prepare_embedded_broker(sender, **_kwargs) -> None:
    # A producer (the web process) writes into the same folders the worker reads.
    ensure_embedded_broker_folders()
