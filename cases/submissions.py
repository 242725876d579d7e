"""One record per create form, however often it is submitted.

A create form (`CreateOnce`) carries a token made when the page was drawn. `CreateOnceMiddleware`
runs every POST that carries one through `submit_once`: the first submit takes the token and the
view's writes commit with it in one transaction; a second (sent again by a double click, or in
parallel while the first is still saving) finds the token taken and is sent where the first was
sent, the new record's page. A submit the view refuses (it answers with the form again) frees the
token for the corrected form, and a server error rolls back everything the submit wrote.

Doing this around the view, not inside each one, means a create form is once-only by carrying the
field: there is no second step a new view could forget."""

import uuid
from collections.abc import Callable

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .models import Submission, User

FIELD_NAME = "submission"
FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")


def OnceField() -> forms.UUIDField:  # noqa: N802 (read as a field class in a form's body)
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class CreateOnce(forms.Form):
    """A form that makes a record. It carries the once-only token for the middleware; the data it
    gives the view leaves the token out."""

    submission = OnceField()

    def full_clean(self):
        super().full_clean()
        getattr(self, "cleaned_data", {}).pop(FIELD_NAME, None)


def token_in(request: HttpRequest) -> uuid.UUID | None:
    """The once-only token a signed-in person's form post carries, if it carries a well-formed one."""
    if request.method != "POST" or request.content_type not in FORM_BODIES or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD_NAME, ""))
    except ValueError:
        return None


def submit_once(request: HttpRequest, token: uuid.UUID, respond: Callable[[], HttpResponse]) -> HttpResponse:
    user = request.user
    earlier = sent_to(user, token)
    if earlier is not None:
        return HttpResponseRedirect(earlier)
    with transaction.atomic():
        try:
            # A twin submit inserting the same token waits here on the unique index until the first
            # submit's transaction ends; then it fails if the first kept the token.
            with transaction.atomic():
                claim = Submission.objects.create(user=user, token=token)
        except IntegrityError:
            claim = None
        if claim is None:
            # Only a database that refuses rather than waits (SQLite, in development) leaves the
            # first submit still saving here: the form's page is drawn again.
            return HttpResponseRedirect(sent_to(user, token) or request.get_full_path())
        response = respond()
        if response.status_code >= 500:
            transaction.set_rollback(True)
        elif response.status_code in (302, 303):
            claim.location = response["Location"]
            claim.save(update_fields=["location"])
        else:
            claim.delete()
        return response


def sent_to(user: User, token: uuid.UUID) -> str | None:
    """Where the submit that took this token was sent, if one did."""
    return Submission.objects.filter(user=user, token=token).exclude(location="").values_list(
        "location", flat=True).first()  # fmt: skip


class CreateOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = token_in(request)
        if token is None:
            return self.get_response(request)
        return submit_once(request, token, respond=lambda: self.get_response(request))
