"""Case notes, the chronology (on screen and as a PDF) and the case summary. Views are thin:
selectors read, services write. Each child page is found through `child_for` (404 for a child the
user may not see) and each GET of one is written to the access log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.access_log import logs_access
from cases.forms.records import (
    CaseNoteEditForm,
    CaseNoteForm,
    CaseSummaryForm,
    ChronologyEntryForm,
    ChronologyFilterForm,
    StrikeForm,
)
from cases.pdf import pdf_response
from cases.record_print import parts_for
from cases.selectors.children import can_write_case, open_case_for
from cases.selectors.records import (
    cases_managed_on,
    chronology_entry_for,
    chronology_for,
    may_write_chronology,
    note_for,
    notes_for,
    recording_status_for,
    summaries_for,
    summary_due_for,
)
from cases.services.records import (
    case_note_add,
    case_note_edit,
    case_note_strike,
    case_summary_write,
    chronology_entry_add,
    chronology_entry_strike,
    note_version,
)
from cases.view_helpers import require, show_errors, visible_child

PAGE_SIZE = 25
SUMMARY_PAGE_SIZE = 10
# Service (model) field names whose errors belong to a differently named form field.
FIELD_FOR = {"event_at": "event_date", "occurred_at": "occurred_date", "struck_reason": "reason"}








def _child_of_note(request, pk):
    return note_for(request.user, pk).case.child


def _child_of_entry(request, pk):
    return chronology_entry_for(request.user, pk).child


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# --- Case notes ---------------------------------------------------------------------------------


@require_GET
@logs_access(visible_child)
def notes_list(request, pk, subject):
    child, case = subject, open_case_for(subject)
    page = _page(request, notes_for(child))
    recording = recording_status_for(page)
    managed = cases_managed_on(request.user, child)
    can_write = case is not None and can_write_case(request.user, case)
    for note in page:
        note.recording = recording.get(note.pk)
        note.can_strike = note.case_id in managed and not note.is_struck
        # Only the author, on the open case, while the note stands.
        note.can_edit = can_write and note.case_id == case.pk and note.author_id == request.user.pk
        note.can_edit = note.can_edit and not note.is_struck
    context = {"child": child, "case": case, "page": page,
               "can_add": can_write}  # fmt: skip
    return render(request, "cases/records/notes.html", context)


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def note_new(request, pk, subject):
    child, case = subject, open_case_for(subject)
    require(case is not None and can_write_case(request.user, case))
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = case_note_add(case=case, author=request.user, **form.note_fields())
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Case note recorded: {note.title}")
            return redirect("case-notes", pk=child.pk)
    return render(request, "cases/records/note_new.html", {"form": form, "child": child, "case": case})


@require_http_methods(["GET", "POST"])
@logs_access(_child_of_note)
def note_edit(request, pk, subject):
    child = subject
    note = get_object_or_404(notes_for(child).select_related("case__team"), pk=pk)
    require(note.author_id == request.user.pk and not note.is_struck and can_write_case(request.user, note.case))
    initial = {"title": note.title, "text": note.text, "version": note_version(note)}
    form = CaseNoteEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_edit(note=note, edited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            # The user's words stay in the form; the stamp moves on, so saving again is deliberate.
            form.data = form.data.copy()
            form.data["version"] = note_version(note)
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Case note changed: {form.cleaned_data['title']}")
            return redirect("case-notes", pk=child.pk)
    context = {"form": form, "child": child, "case": note.case, "note": note}
    return render(request, "cases/records/note_edit.html", context)


@require_http_methods(["GET", "POST"])
@logs_access(_child_of_note)
def note_strike(request, pk, subject):
    child = subject
    note = get_object_or_404(notes_for(child).select_related("case__team"), pk=pk)
    require(note.case_id in cases_managed_on(request.user, child))
    form = StrikeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_note_strike(note=note, struck_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Case note struck through: {note.title}")
            return redirect("case-notes", pk=child.pk)
    context = {"form": form, "child": child, "case": open_case_for(child), "record": note, "body": note.text,
               "what": "case note", "back": "case-notes"}  # fmt: skip
    return render(request, "cases/records/strike.html", context)


# --- Chronology ---------------------------------------------------------------------------------


def _filtered_chronology(request, child):
    form = ChronologyFilterForm(request.GET or None)
    query = request.GET.copy()
    query.pop("page", None)
    return form, chronology_for(child, **form.filters()), query.urlencode()


@require_GET
@logs_access(visible_child)
def chronology(request, pk, subject):
    child, case = subject, open_case_for(subject)
    form, entries, query = _filtered_chronology(request, child)
    page = _page(request, entries)
    managed = cases_managed_on(request.user, child)
    for entry in page:
        entry.can_strike = not entry.is_struck and (entry.case_id in managed if entry.case_id else bool(managed))
    context = {"child": child, "case": case, "form": form, "page": page, "query": query,
               "can_add": may_write_chronology(request.user, child, case)}  # fmt: skip
    return render(request, "cases/records/chronology.html", context)


@require_GET
@logs_access(visible_child)
def chronology_pdf(request, pk, subject):
    child = subject
    form, entries, _ = _filtered_chronology(request, child)
    printed_at = timezone.localtime()
    context = {"child": child, "case": open_case_for(child), "entries": entries, "filtered": form.describe(),
               "printed_at": printed_at, "printed_by": request.user}  # fmt: skip
    return pdf_response(request, "cases/records/chronology_print.html", context,
                        f"chronology-{child.reference}-{printed_at:%Y-%m-%d}.pdf")  # fmt: skip


@require_GET
@logs_access(visible_child)
def record_pdf(request, pk, subject):
    """The whole record as one PDF: the summary, then every part each app contributes."""
    child = subject
    printed_at = timezone.localtime()
    context = {"child": child, "case": open_case_for(child), "parts": parts_for(child), "printed_at": printed_at,
               "printed_by": request.user}  # fmt: skip
    return pdf_response(request, "cases/records/record_print.html", context,
                        f"record-{child.reference}-{printed_at:%Y-%m-%d}.pdf")  # fmt: skip


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def chronology_new(request, pk, subject):
    child, case = subject, open_case_for(subject)
    require(may_write_chronology(request.user, child, case))
    form = ChronologyEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = chronology_entry_add(child=child, case=case, written_by=request.user, **form.entry_fields())
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Added to the chronology: {entry.title}")
            return redirect("chronology", pk=child.pk)
    return render(request, "cases/records/chronology_new.html", {"form": form, "child": child, "case": case})


@require_http_methods(["GET", "POST"])
@logs_access(_child_of_entry)
def chronology_strike(request, pk, subject):
    child = subject
    entry = get_object_or_404(chronology_for(child).select_related("case__team"), pk=pk)
    managed = cases_managed_on(request.user, child)
    require(entry.case_id in managed if entry.case_id else bool(managed))
    form = StrikeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            chronology_entry_strike(entry=entry, struck_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, f"Chronology entry struck through: {entry.title}")
            return redirect("chronology", pk=child.pk)
    context = {"form": form, "child": child, "case": open_case_for(child), "record": entry,
               "body": entry.detail, "what": "chronology entry", "back": "chronology"}  # fmt: skip
    return render(request, "cases/records/strike.html", context)


# --- Case summary -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def case_summary(request, pk, subject):
    child, case = subject, open_case_for(subject)
    can_write = case is not None and can_write_case(request.user, case)
    if request.method == "POST":
        require(can_write)
    form = CaseSummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_summary_write(case=case, written_by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_errors(form, error, FIELD_FOR)
        else:
            messages.success(request, "Case summary saved")
            return redirect("case-summary", pk=child.pk)
    summaries = summaries_for(child)
    context = {"child": child, "case": case, "form": form, "can_write": can_write, "latest": summaries.first(),
               "page": _page(request, summaries, SUMMARY_PAGE_SIZE), "due": summary_due_for(case)}  # fmt: skip
    return render(request, "cases/records/summary.html", context)
