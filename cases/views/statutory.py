"""The child's details the DfE's returns ask for. Thin: the child comes through the permission-scoped
selector (404 if the user may not see them), the service checks again and writes."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.access_log import logs_access
from cases.forms.statutory import StatutoryDetailsForm
from cases.selectors.children import open_case_for
from cases.services.statutory import can_change_statutory_details, child_statutory_update
from cases.view_helpers import require, save_edit, visible_child


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def child_statutory_change(request, pk, subject):
    child = subject
    case = open_case_for(child)
    require(can_change_statutory_details(request.user, child, case=case))
    form = StatutoryDetailsForm.for_child(child, data=request.POST or None)
    edited = save_edit(
        request, form,
        lambda: child_statutory_update(child=child, updated_by=request.user, version=form.cleaned_data["version"],
                                       **form.statutory_fields()),
        lambda current, data: StatutoryDetailsForm.for_child(current, data=data),
    )  # fmt: skip
    if edited.saved:
        messages.success(request, "The child's details are saved")
        return redirect("child", pk=child.pk)
    title = "Change the details the DfE returns need"
    context = {"form": edited.form, "child": child, "case": case, "title": title, "theirs": edited.theirs}
    return render(request, "cases/children/statutory_change.html", context)
