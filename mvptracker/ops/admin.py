from django.contrib import admin

from mvptracker.ops.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "as_of", "trigger", "finished_at", "counts"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
