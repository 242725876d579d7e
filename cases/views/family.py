"""The child's details, address history, family and network, professionals and legal status.
Views are thin: the child comes through the permission-scoped selector (404 if the user may not
see them), the services check again and write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cases.access_log import logs_access
from cases.forms.family import (
    AddressForm,
    ChildDetailsForm,
    EndForm,
    ProfessionalForm,
    RelationshipForm,
    StatusStartForm,
)
from cases.models import LegalStatus, Professional, Relationship
from cases.selectors.children import can_write_case, child_for, children_visible_to, open_case_for
from cases.selectors.family import record_of_visible_child, status_of_visible_child
from cases.services.family import (
    address_add,
    can_write_child,
    child_details_update,
    details_changed_since,
    latest_version,
    legal_status_end,
    legal_status_start,
    professional_add,
    professional_end,
    professional_update,
    relationship_add,
    relationship_end,
    relationship_update,
)
from cases.view_helpers import require, save_edit, show_errors, visible_child

FAMILY = "cases/family/"


def _writable_child(request, pk):
    """The child and their open case, if the user may change the child's record."""
    child = child_for(request.user, pk)
    case = open_case_for(child)
    require(can_write_child(request.user, child, case=case, seen=True))
    return child, case


@logs_access(visible_child)
def child_details(request, pk, subject):
    child = subject
    case = open_case_for(child)
    context = {
        "child": child,
        "case": case,
        "addresses": list(child.addresses.all()),
        "can_change": can_write_child(request.user, child, case=case, seen=True),
    }
    return render(request, FAMILY + "details.html", context)


@require_http_methods(["GET", "POST"])
@logs_access(visible_child)
def child_details_change(request, pk, subject):
    child = subject
    case = open_case_for(child)
    require(can_write_child(request.user, child, case=case, seen=True))
    form = ChildDetailsForm.for_child(child, latest_version(child), data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child_details_update(child=child, updated_by=request.user, version=form.cleaned_data["version"],
                                 **form.details())  # fmt: skip
        except ValidationError as error:
            if "version" not in error.message_dict:
                show_errors(form, error)
            else:
                child.refresh_from_db()
                form = ChildDetailsForm.after_conflict(
                    child, latest_version(child), entered=form.details(),
                    changed=details_changed_since(child, form.cleaned_data["version"]),
                    message=error.message_dict["version"][0],
                )  # fmt: skip
        else:
            messages.success(request, "Details saved")
            return redirect("child-details", pk=child.pk)
    return render(request, FAMILY + "details_change.html", {"form": form, "child": child, "case": case})


@require_http_methods(["GET", "POST"])
def address_new(request, pk):
    child, case = _writable_child(request, pk)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            address_add(child=child, added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Address added")
            return redirect("child-details", pk=child.pk)
    context = {"form": form, "child": child, "case": case, "current": child.addresses.filter(lived_until=None).first()}
    return render(request, FAMILY + "address_new.html", context)


@logs_access(visible_child)
def child_family(request, pk, subject):
    child = subject
    case = open_case_for(child)
    relationships = list(child.relationships.select_related("related_child").order_by("ended_on", "kind", "name"))
    context = {
        "child": child,
        "case": case,
        "current_relationships": [r for r in relationships if r.ended_on is None],
        "past_relationships": [r for r in relationships if r.ended_on is not None],
        "professionals": list(child.professionals.order_by("involved_until", "role", "name")),
        "can_change": can_write_child(request.user, child, case=case, seen=True),
    }
    return render(request, FAMILY + "family.html", context)


@require_http_methods(["GET", "POST"])
def relationship_new(request, pk):
    child, case = _writable_child(request, pk)
    form = RelationshipForm(request.POST or None, children=children_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            relationship = relationship_add(child=child, added_by=request.user, **form.relationship_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{relationship} added")
            return redirect("child-family", pk=child.pk)
    context = {"form": form, "child": child, "case": case, "title": "Add a family member or significant other"}
    return render(request, FAMILY + "relationship_form.html", context)


@require_http_methods(["GET", "POST"])
def relationship_change(request, pk):
    relationship = record_of_visible_child(Relationship, request.user, pk)
    child, case = _writable_child(request, relationship.child_id)
    form = RelationshipForm.for_relationship(relationship, children=children_visible_to(request.user),
                                             data=request.POST or None)  # fmt: skip
    edited = save_edit(
        request, form,
        lambda: relationship_update(relationship=relationship, updated_by=request.user,
                                    version=form.cleaned_data["version"] or 0, **form.relationship_fields()),
        lambda current, data: RelationshipForm.for_relationship(current, children=children_visible_to(request.user),
                                                                data=data),
    )  # fmt: skip
    if edited.saved:
        messages.success(request, f"{relationship.name}'s details saved")
        return redirect("child-family", pk=child.pk)
    context = {"form": edited.form, "child": child, "case": case, "title": f"Change {relationship.name}'s details",
               "theirs": edited.theirs}  # fmt: skip
    return render(request, FAMILY + "relationship_form.html", context)


def _end(request, *, record, form, end, done: str, title: str, child, case):
    """Ending anything that ends with one date: a relationship, an involvement, a status."""
    if request.method == "POST" and form.is_valid():
        try:
            end(form.ended_on)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, done)
            return None
    context = {"form": form, "record": record, "child": child, "case": case, "title": title}
    return render(request, FAMILY + "end.html", context)


@require_http_methods(["GET", "POST"])
def relationship_end_view(request, pk):
    relationship = record_of_visible_child(Relationship, request.user, pk)
    child, case = _writable_child(request, relationship.child_id)
    form = EndForm(request.POST or None, field="ended_on", label="Date the relationship ended")
    response = _end(
        request, record=relationship, form=form, child=child, case=case,
        end=lambda day: relationship_end(relationship=relationship, ended_by=request.user, ended_on=day),
        done=f"The relationship with {relationship.name} is recorded as ended",
        title=f"End the relationship with {relationship.name}",
    )  # fmt: skip
    return response or redirect("child-family", pk=child.pk)


@require_http_methods(["GET", "POST"])
def professional_new(request, pk):
    child, case = _writable_child(request, pk)
    form = ProfessionalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            professional = professional_add(child=child, added_by=request.user, **form.record_fields())
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{professional} added")
            return redirect("child-family", pk=child.pk)
    context = {"form": form, "child": child, "case": case, "title": "Add a professional"}
    return render(request, FAMILY + "professional_form.html", context)


@require_http_methods(["GET", "POST"])
def professional_change(request, pk):
    professional = record_of_visible_child(Professional, request.user, pk)
    child, case = _writable_child(request, professional.child_id)
    initial = ProfessionalForm.initial_from(professional)
    form = ProfessionalForm(request.POST or None, initial=initial)
    edited = save_edit(
        request, form,
        lambda: professional_update(professional=professional, updated_by=request.user,
                                    version=form.cleaned_data["version"] or 0, **form.record_fields()),
        lambda current, data: ProfessionalForm(data),
    )  # fmt: skip
    if edited.saved:
        messages.success(request, f"{professional.name}'s details saved")
        return redirect("child-family", pk=child.pk)
    context = {"form": edited.form, "child": child, "case": case, "title": f"Change {professional.name}'s details",
               "theirs": edited.theirs}  # fmt: skip
    return render(request, FAMILY + "professional_form.html", context)


@require_http_methods(["GET", "POST"])
def professional_end_view(request, pk):
    professional = record_of_visible_child(Professional, request.user, pk)
    child, case = _writable_child(request, professional.child_id)
    form = EndForm(request.POST or None, field="involved_until", label="Date their involvement ended")
    response = _end(
        request, record=professional, form=form, child=child, case=case,
        end=lambda day: professional_end(professional=professional, ended_by=request.user, involved_until=day),
        done=f"{professional.name}'s involvement is recorded as ended",
        title=f"End {professional.name}'s involvement",
    )  # fmt: skip
    return response or redirect("child-family", pk=child.pk)


@logs_access(visible_child)
def child_status(request, pk, subject):
    child = subject
    case = open_case_for(child)
    statuses = list(
        LegalStatus.objects.filter(case__child=child).select_related("recorded_by").order_by("-started_on", "-pk")
    )
    can_change = case is not None and can_write_case(request.user, case)
    context = {"child": child, "case": case, "statuses": statuses, "can_change": can_change}
    return render(request, FAMILY + "status.html", context)


@require_http_methods(["GET", "POST"])
def status_new(request, pk):
    child = child_for(request.user, pk)
    case = open_case_for(child)
    require(case is not None and can_write_case(request.user, case))
    form = StatusStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            status = legal_status_start(case=case, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{status} started")
            return redirect("child-status", pk=child.pk)
    current = list(case.statuses.filter(ended_on=None))
    context = {"form": form, "child": child, "case": case, "current": current, "title": "Start a status"}
    return render(request, FAMILY + "status_new.html", context)


@require_http_methods(["GET", "POST"])
def status_end_view(request, pk):
    status = status_of_visible_child(request.user, pk)
    case = status.case
    require(can_write_case(request.user, case))
    form = EndForm(request.POST or None, field="ended_on", label="End date")
    response = _end(
        request, record=status, form=form, child=case.child, case=case,
        end=lambda day: legal_status_end(status=status, ended_on=day, ended_by=request.user),
        done=f"{status} ended", title=f"End: {status}",
    )  # fmt: skip
    return response or redirect("child-status", pk=case.child_id)
