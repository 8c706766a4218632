import os

# Before any mvptracker import: importing the package loads the Celery app, which chooses the
# settings module (mvptracker.bootstrap) when none is set.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvptracker.settings.bench")

from django.core.wsgi import get_wsgi_application

from mvptracker.runtime import warm_up

application = get_wsgi_application()
warm_up()
