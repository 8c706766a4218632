from django.contrib import admin

from contributions.models import Contribution, ContributionKind, Contributor, TechnologyArea


@admin.register(TechnologyArea)
class TechnologyAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "is_active", "sort_order"]
    list_filter = ["is_active", "parent"]
    list_editable = ["is_active", "sort_order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ContributionKind)
class ContributionKindAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "pillar", "reach_unit", "quantity_label", "is_active"]
    list_filter = ["pillar", "is_active", "is_forum_activity"]
    list_editable = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["handle", "display_name", "user", "region", "employer_category", "is_public"]
    list_filter = ["region", "is_public", "employer_category"]
    search_fields = ["handle", "display_name", "user__email"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["primary_area", "additional_areas"]
    list_select_related = ["user"]
    show_full_result_count = False


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "date",
        "contributor",
        "kind",
        "technology_area",
        "visibility",
        "verified_at",
    ]
    list_filter = ["kind__pillar", "visibility", "kind"]
    search_fields = ["title", "contributor__handle", "url"]
    raw_id_fields = ["contributor", "verified_by"]
    list_select_related = ["contributor", "kind", "technology_area__parent"]
    date_hierarchy = "date"
    readonly_fields = ["canonical_url", "created_at", "updated_at"]
    show_full_result_count = False  # the log is large: no COUNT(*) over it on every page
