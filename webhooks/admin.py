from django.contrib import admin

from webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "enabled", "created_at", "disabled_reason")
    exclude = ("secret_encrypted",)
    # URL and events change on the staff page, which checks the URL against the guard.
    readonly_fields = ("url", "events", "created_by", "created_at", "disabled_at")

    def has_add_permission(self, request):
        return False  # endpoints are created on the staff page, which makes and shows the secret


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("webhook_id", "event", "endpoint", "status", "attempts", "status_code")
    list_filter = ("status", "event")
    list_select_related = ("endpoint",)
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
