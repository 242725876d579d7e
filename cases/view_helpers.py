"""Small pieces every view module of the child's record shares."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils import timezone

from .concurrency import EditConflict
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


def autosave_response(form, save) -> JsonResponse:
    """The answer to a page's automatic draft save: the version for the next save, or why it was
    refused (a conflict is a 409; the page keeps the text either way). `save(form)` writes."""
    if not form.is_valid():
        return JsonResponse({"saved": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        saved = save(form)
    except ValidationError as error:
        return JsonResponse({"saved": False, "message": " ".join(error.messages)},
                            status=409 if isinstance(error, EditConflict) else 400)  # fmt: skip
    return JsonResponse({"saved": True, "version": saved.version, "at": f"{timezone.localtime():%H:%M}"})
