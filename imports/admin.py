from django.contrib import admin

from imports.models import Draft, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "label", "contributor", "enabled", "last_status"]
    list_filter = ["type", "enabled", "last_status"]
    raw_id_fields = ["contributor"]
    readonly_fields = ["last_fetched_at", "last_status", "last_error", "consecutive_failures"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "date", "status", "contributor", "source"]
    list_filter = ["status"]
    raw_id_fields = ["contributor", "source", "contribution"]
