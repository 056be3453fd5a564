from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AuditLogEntry, Organisation, Region, User

# The admin has its own login form, which knows no second factor: send it to ours. The
# session middleware also ends any session that lacks a verified second factor.
admin.site.login = lambda request, extra_context=None: redirect(  # type: ignore[method-assign]
    f"/inloggen/?next={request.GET.get('next', '/beheer/')}"
)

# Roles are groups kept in sync from code (sync_roles); editing them by hand would drift.
admin.site.unregister(Group)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cbs_code", "region", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "cbs_code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "organisation",
        "role",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "organisation__kind", "is_active"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Persoon"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Werk"), {"fields": ["organisation", "role", "is_active"]}),
        (_("Sessies"), {"fields": ["last_login", "sessions_revoked_at", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Werk"), {"fields": ["organisation", "role", "email", "first_name", "last_name"]}),
    ]
    readonly_fields = ["last_login", "sessions_revoked_at", "date_joined"]
    actions = ["deactivate_users", "logout_users_everywhere"]

    def save_model(self, request, obj, form, change):
        deactivated = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        services.user_sync_role_group(user=obj)
        if deactivated:
            services.user_deactivate(user=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted: the audit trail keeps pointing at them.
        return False

    @admin.action(description=_("Deactiveren (sessies en tokens vervallen direct)"))
    def deactivate_users(self, request, queryset):
        for user in queryset:
            services.user_deactivate(user=user, actor=request.user)

    @admin.action(description=_("Overal uitloggen"))
    def logout_users_everywhere(self, request, queryset):
        for user in queryset:
            services.user_logout_everywhere(user=user)


if admin.site.is_registered(AuditLogEntry):
    admin.site.unregister(AuditLogEntry)
# The audit log is read on its own page by the privacy officer (accounts:audit_log);
# it has no place in the admin, so nobody can change or delete an entry there.
