from mvptracker.bootstrap import choose_settings_module

choose_settings_module()

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
