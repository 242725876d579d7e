"""The Returns pages for the performance and data officer (and service managers): produce a
return, watch it being checked, read what the DfE's rules found by child and by team, download."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.services.people import access_log_record
from cases.view_helpers import require, show_errors
from returns.forms import ImportUploadForm, ReturnRunForm
from returns.models import ReturnRun
from returns.selectors import (
    findings_by_child,
    findings_by_team,
    may_use_returns,
    run_for,
    runs_for,
    staged_import_for,
    staged_imports_for,
)
from returns.services import import_confirm, import_stage, return_run_request
from returns.tasks import produce_return_after_commit

PAGE_SIZE = 50
EXTENSIONS = {ReturnRun.Kind.CIN: ("xml", "application/xml"), ReturnRun.Kind.SSDA903: ("zip", "application/zip")}


@require_http_methods(["GET", "POST"])
def returns_index(request):
    require(may_use_returns(request.user))
    form = ReturnRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = return_run_request(requested_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            produce_return_after_commit(run.pk)
            return redirect("return-run", pk=run.pk)
    runs = Paginator(runs_for(request.user).defer("document", "findings"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "returns/index.html", {"form": form, "page": runs})


@require_GET
def return_run(request, pk):
    run = run_for(request.user, pk)
    context = {"run": run, "finished": run.status in (ReturnRun.Status.DONE, ReturnRun.Status.FAILED)}
    if run.status == ReturnRun.Status.DONE:
        children, whole = findings_by_child(request.user, run)
        context |= {"page": Paginator(children, PAGE_SIZE).get_page(request.GET.get("page")), "whole": whole,
                    "by_team": findings_by_team(run)}  # fmt: skip
    return render(request, "returns/run.html", context)


@require_GET
def return_run_download(request, pk):
    run = run_for(request.user, pk)
    require(run.status == ReturnRun.Status.DONE and run.document is not None)
    extension, content_type = EXTENSIONS[run.kind]
    # Every copy of a return that leaves Casework is on the access log.
    access_log_record(user=request.user, subject=run, path=request.get_full_path())
    response = HttpResponse(bytes(run.document), content_type=content_type)
    name = f"{run.kind}_{run.year_label.replace('-', '_')}_{run.authority.la_number}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(may_use_returns(request.user))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            staged = import_stage(uploaded_by=request.user, file_name=upload.name, document=upload.read())
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("return-import", pk=staged.pk)
    uploads = Paginator(staged_imports_for(request.user).defer("document"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "returns/import.html", {"form": form, "page": uploads})


@require_GET
def import_preview(request, pk):
    staged = staged_import_for(request.user, pk)
    return render(request, "returns/import_preview.html", {"staged": staged})


@require_POST
def import_confirm_view(request, pk):
    staged = staged_import_for(request.user, pk)
    import_confirm(staged=staged, confirmed_by=request.user)
    return redirect("return-import", pk=staged.pk)
