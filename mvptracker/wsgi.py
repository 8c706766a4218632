from mvptracker.bootstrap import choose_settings_module

choose_settings_module()

from django.core.wsgi import get_wsgi_application  # noqa: E402

from mvptracker.runtime import warm_up  # noqa: E402

application = get_wsgi_application()
warm_up()
