from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mvptracker import views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "mvptracker"

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("contributions.urls")),
    path("", include("awards.urls")),
    path("", include("credentials.urls")),
    path("", include("nominations.urls")),
    path("", include("imports.urls")),
    path("", include("notifications.urls")),
    path("", include("webhooks.urls")),
    path("", include("calendars.urls")),
    path("", include("ops.urls")),
    path("", include("api.urls")),
]

handler400 = "mvptracker.views.error_400"
handler403 = "mvptracker.views.error_403"
handler404 = "mvptracker.views.error_404"
handler500 = "mvptracker.views.error_500"
