from django.contrib import admin

from ops.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "as_of", "trigger", "finished_at", "counts"]
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False  # runs are written by the daily-jobs runner; an empty one is a crash

    def has_change_permission(self, request, obj=None):
        return False
