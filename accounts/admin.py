from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleGrant, SecurityEvent, User
from accounts.services import grant_role, revoke_role


class RoleGrantInline(admin.TabularInline):
    """Edited here, saved by :meth:`UserAdmin.save_formset` through ``grant_role`` and
    ``revoke_role``, so an admin edit is audited (SecurityEvent, granted_by) like any other."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    readonly_fields = ["granted_by", "granted_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "date_joined"]
    search_fields = ["email"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Preferences"), {"fields": ("timezone",)}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff", "rolegrant__role"]

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        user = formset.instance
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                revoke_role(user=user, role=deleted.instance.role, actor=request.user)
        for grant_form in formset.forms:
            if grant_form in formset.deleted_forms or not grant_form.has_changed():
                continue
            data = grant_form.cleaned_data
            previous = grant_form.initial.get("role")
            if grant_form.instance.pk and previous and previous != data["role"]:
                revoke_role(user=user, role=previous, actor=request.user)
            grant_role(
                user=user, role=data["role"], region=data.get("region", ""), actor=request.user
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "identifier", "ip_address", "actor"]
    list_filter = ["kind"]
    search_fields = ["identifier"]
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
