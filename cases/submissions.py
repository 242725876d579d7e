"""One record per create form, however often it is submitted.

A create form carries a token made when the page was drawn (`OnceField`). The view runs the
service through `create_once`: the first submit takes the token and creates the record in one
transaction; a second (sent again by a double click, or in parallel while the first is still
saving) finds the token taken and answers with the record the first made. A submit that fails
validation creates nothing and leaves the token free for the corrected form."""

import uuid
from collections.abc import Callable

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import Submission, User


def OnceField() -> forms.UUIDField:  # noqa: N802 (read as a field class in a form's body)
    return forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


def create_once(*, user: User, token: uuid.UUID | None, create: Callable[[], object]) -> tuple[object, bool]:
    """(the record, whether this call created it). Without a token (an old page) it just creates."""
    if token is None:
        return create(), True
    earlier = _made_with(user, token)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            # A twin submit inserting the same token waits here on the unique index until this
            # transaction ends, then fails, and reads the record made here.
            claim = Submission.objects.create(user=user, token=token)
            record = create()
            claim.content_type = ContentType.objects.get_for_model(record)
            claim.object_id = record.pk
            claim.save(update_fields=["content_type", "object_id"])
            return record, True
    except IntegrityError:
        earlier = _made_with(user, token)
        if earlier is None:
            raise
        return earlier, False


def _made_with(user: User, token: uuid.UUID):
    claim = Submission.objects.filter(user=user, token=token).exclude(object_id=None).first()
    return claim.record if claim is not None else None
