"""Small pieces every view module of the child's record shares."""

from django.core.exceptions import PermissionDenied, ValidationError

from .selectors.children import child_for


def show_errors(form, error: ValidationError, field_for: dict[str, str] | None = None) -> None:
    """Put a service's errors on the form: on the field of the same name (or the one `field_for`
    maps a model field to), otherwise at the top of the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        name = (field_for or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def visible_child(request, pk):
    """For @logs_access: the child of the page, or 404 if this user may not see them."""
    return child_for(request.user, pk)
