"""The notifications page behind the bell in the header. Thin: selectors read what this person
may see, services mark things read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.selectors.alerts import notification_for, notifications_for
from cases.services.alerts import notification_read, notifications_read_all

PAGE_SIZE = 25


def notifications(request):
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/alerts/notifications.html", {"page": page})


def notification_open(request, pk):
    """Follow a notification to its record, marking it read on the way."""
    notification = notification_read(user=request.user, notification=notification_for(request.user, pk))
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "notifications"
    return redirect(target)


@require_POST
def notification_mark_read(request, pk):
    notification_read(user=request.user, notification=notification_for(request.user, pk))
    return redirect("notifications")


@require_POST
def notifications_mark_all_read(request):
    count = notifications_read_all(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("notifications")
