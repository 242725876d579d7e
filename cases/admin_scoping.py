"""Admin scoped to the signed-in admin's authority. Every app's admin classes build on this."""

from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import Authority, Team, User
from .permissions import ADMINISTER_AUTHORITY


class AuthorityAdminPermissions:
    """Admin permissions come from the authority-admin role, not Django's per-model permissions.
    Nothing is deleted from here: records are deactivated or closed so their history stays whole."""

    def _is_allowed(self, request):
        return request.user.has_perm(ADMINISTER_AUTHORITY)

    def has_module_permission(self, request):
        return self._is_allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._is_allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._is_allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._is_allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False


class AuthorityScopedAdmin(AuthorityAdminPermissions, SimpleHistoryAdmin):
    """Authority admins see and edit only their own authority's rows; superusers see all.

    `authority_path` is the lookup from the model to its Authority ("authority", "team__authority").
    """

    authority_path = "authority"

    def has_add_permission(self, request):
        return self._is_allowed(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.authority_path: request.user.authority_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            scoped = _scoped_choices(db_field.related_model, request.user)
            if scoped is not None:
                kwargs["queryset"] = scoped
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and self.authority_path == "authority":
            obj.authority_id = request.user.authority_id
        super().save_model(request, obj, form, change)

    def get_object(self, request, object_id, from_field=None):
        # Another authority's record does not exist as far as this admin can tell: 404, not a redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # The history page looks the object up itself; refuse one outside the admin's scope.
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)


def _scoped_choices(model: type[models.Model], user):
    if model is Authority:
        return Authority.objects.filter(pk=user.authority_id)
    if model is Team:
        return Team.objects.filter(authority_id=user.authority_id)
    if model is User:
        return User.objects.filter(authority_id=user.authority_id)
    return None
