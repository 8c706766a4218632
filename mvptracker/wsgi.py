import os

from django.core.wsgi import get_wsgi_application

from mvptracker.runtime import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mvptracker.settings.local")
application = get_wsgi_application()
warm_up()
