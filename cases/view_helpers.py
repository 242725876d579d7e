"""Small pieces every view module of the child's record shares."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils import timezone

from .concurrency import EditConflict, form_after_conflict, their_changes
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


@dataclass
class Edited:
    form: object
    theirs: list[tuple[str, str]]  # what someone else changed, where the save came too late
    saved: bool


def save_edit(request, form, save: Callable[[], object], form_of: Callable) -> Edited:
    """A posted change to a record that carries a version: `save()` (the service) runs when the form
    is valid. A save made from an older version comes back as the user's text on a form of the
    stored version (`form_of(current, data)`), with what the other person changed; a refusal comes
    back as errors on the form."""
    if request.method != "POST" or not form.is_valid():
        return Edited(form=form, theirs=[], saved=False)
    try:
        save()
    except EditConflict as conflict:
        return Edited(form=form_after_conflict(conflict, request.POST, form_of), theirs=their_changes(conflict),
                      saved=False)  # fmt: skip
    except ValidationError as error:
        show_errors(form, error)
        return Edited(form=form, theirs=[], saved=False)
    return Edited(form=form, theirs=[], saved=True)
