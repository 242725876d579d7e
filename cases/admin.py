from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .admin_scoping import AuthorityAdminPermissions, AuthorityScopedAdmin
from .models import (
    AccessLog,
    AlertSettings,
    Authority,
    ClosureDay,
    Deadline,
    RoleAssignment,
    Team,
    TimescaleConfiguration,
    TimescaleVersion,
    User,
)
from .services.people import staff_practice_changed
from .services.timescales import closure_days_changed


@admin.register(Authority)
class AuthorityAdmin(AuthorityScopedAdmin):
    authority_path = "pk"
    list_display = ["name", "slug", "la_number", "ons_code", "timezone"]
    search_fields = ["name", "slug", "la_number", "ons_code"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # The LA number and ONS code come from the authority's file and a load puts them back, so
        # an authority admin sees them here but changes them there.
        return [] if request.user.is_superuser else ["slug", "timezone", "la_number", "ons_code"]

    def save_model(self, request, obj, form, change):
        super(AuthorityScopedAdmin, self).save_model(request, obj, form, change)


@admin.register(AlertSettings)
class AlertSettingsAdmin(AuthorityScopedAdmin):
    """When the morning digest goes, what counts as due soon, and when overdue work escalates to the
    service managers: one row per authority, every change kept in its history."""

    list_display = ["authority", "digest_time", "due_soon_working_days", "escalation_working_days"]

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["authority"]

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        return request.user.is_superuser or not AlertSettings.objects.filter(
            authority_id=request.user.authority_id
        ).exists()


@admin.register(Team)
class TeamAdmin(AuthorityScopedAdmin):
    list_display = ["name", "authority", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["authority"]


class RoleAssignmentInline(AuthorityAdminPermissions, admin.TabularInline):
    model = RoleAssignment
    extra = 1

    def has_delete_permission(self, request, obj=None):
        # Taking a role away is routine; the change is kept in the role assignment's history.
        return self._is_allowed(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team" and not request.user.is_superuser:
            kwargs["queryset"] = Team.objects.filter(authority_id=request.user.authority_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "authority", "swe_registration_number"]


class StaffChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"email": forms.EmailField}


@admin.register(User)
class StaffAdmin(AuthorityScopedAdmin, DjangoUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    inlines = [RoleAssignmentInline]
    ordering = ["full_name"]
    list_display = ["full_name", "email", "authority", "swe_registration_number", "newly_qualified", "is_active"]
    list_filter = ["is_active", "newly_qualified"]
    search_fields = ["full_name", "email", "swe_registration_number"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "authority", "password"]}),
        ("Practice", {"fields": ["swe_registration_number", "newly_qualified", "newly_qualified_from"]}),
        ("Access", {"fields": ["is_active", "is_staff"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "authority", "swe_registration_number",
                                                "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        practice_fields = {"newly_qualified", "newly_qualified_from"}
        if not change or practice_fields & set(form.changed_data) or any(f.has_changed() for f in formsets):
            staff_practice_changed(user=form.instance, changed_by=request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets + [("Deployment", {"fields": ["is_superuser"]})] if obj else fieldsets
        return fieldsets


@admin.register(AccessLog)
class AccessLogAdmin(AuthorityScopedAdmin):
    list_display = ["viewed_at", "user", "subject_type", "subject_id", "path"]
    list_filter = ["subject_type"]
    date_hierarchy = "viewed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(AuthorityScopedAdmin):
    list_display = ["date", "reason", "authority"]
    date_hierarchy = "date"

    def get_exclude(self, request, obj=None):
        return [] if request.user.is_superuser else ["authority"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        closure_days_changed(obj.authority)

    def has_delete_permission(self, request, obj=None):
        # A closure day entered by mistake is removed; its history keeps the record.
        return self._is_allowed(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        closure_days_changed(obj.authority)


class ConfigurationScopedAdmin(AuthorityScopedAdmin):
    """Timescale configurations are keyed by scope (the authority's slug), not a foreign key."""

    scope_path = "scope"

    def get_queryset(self, request):
        queryset = super(AuthorityScopedAdmin, self).get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.scope_path: request.user.authority.slug})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # changed on the Timescales page, which records why


@admin.register(TimescaleConfiguration)
class TimescaleConfigurationAdmin(ConfigurationScopedAdmin):
    list_display = ["name", "scope", "effective_from", "attribution", "revision"]


@admin.register(TimescaleVersion)
class TimescaleVersionAdmin(ConfigurationScopedAdmin):
    scope_path = "configuration__scope"
    list_display = ["key", "effective_from", "origin", "changed_by", "created_at"]
    list_filter = ["origin"]
    search_fields = ["key"]


@admin.register(Deadline)
class DeadlineAdmin(AuthorityScopedAdmin):
    list_display = ["key", "due_at", "status", "assignee", "team"]
    list_filter = ["status", "key"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # deadlines change only through the services that record events
