"""Record every view of a child's record, for managers to read (DESIGN §7)."""

from functools import wraps

from .services import access_log_record


def logs_access(get_subject):
    """Decorate a view so that each successful GET writes an access-log row.

    `get_subject(request, **kwargs)` returns the record being shown, already fetched through a
    permission-scoped selector (so a record the user may not see has raised 404 before logging).
    The view receives it as `subject`, so it is fetched once. A record of a child (an assessment,
    a visit) is logged as a view of that child's record.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            subject = get_subject(request, **kwargs)
            response = view(request, *args, subject=subject, **kwargs)
            if request.method == "GET" and response.status_code == 200:
                access_log_record(user=request.user, subject=getattr(subject, "child", subject),
                                  path=request.get_full_path())  # fmt: skip
            return response

        return wrapper

    return decorator
