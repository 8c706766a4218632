from django.contrib import admin

from nominations.models import (
    Endorsement,
    Invitation,
    Nomination,
    NominationEvent,
    Review,
    ReviewAssignment,
)


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    raw_id_fields = ("endorser",)


class EventInline(admin.TabularInline):
    model = NominationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "reason", "as_of", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through the workflow (the staff pages), not the admin."""

    list_display = (
        "candidate_name",
        "technology_area",
        "source",
        "status",
        "region",
        "decision_due",
    )
    list_filter = ("status", "source", "region", "technology_area")
    search_fields = ("candidate_name", "candidate_email")
    raw_id_fields = ("candidate", "nominated_by", "decided_by", "award")
    readonly_fields = (
        "status",
        "decided_at",
        "decided_by",
        "decision_reason",
        "award",
        "decision_due",
    )
    inlines = [EndorsementInline, EventInline]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = (
        "nomination",
        "reviewer",
        "expertise",
        "quality",
        "quantity",
        "impact",
        "recommendation",
    )
    raw_id_fields = ("nomination", "reviewer")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("nomination", "reviewer", "due_on", "reminded_on")
    raw_id_fields = ("nomination", "reviewer", "assigned_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "nomination", "expires_at", "used_at")
    readonly_fields = ("token_hash",)
    raw_id_fields = ("nomination", "used_by")
