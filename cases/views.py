from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from .selectors import role_assignments_for


def my_work(request):
    """The home page: who you are and, as later issues add them, what needs doing."""
    return render(request, "cases/my_work.html", {"assignments": role_assignments_for(request.user)})


@login_not_required
def accessibility_statement(request):
    return render(request, "accessibility.html")
