"""Create forms submitted twice (a double click, a retry on a slow phone signal) make one record."""

from django.db import models
from django.utils import timezone

from .people import User


class Submission(models.Model):
    """A create form's one-time token, taken in the transaction that creates the record: a second
    submit of the same form is sent to the record the first made instead of making another."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    # Where the first submit was sent (the record it made); empty while that submit is saving.
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="submission_once_per_user")]

    def __str__(self):
        return f"Submission {self.token} by user {self.user_id}"
