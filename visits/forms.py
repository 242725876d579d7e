"""Visit forms. Every box works without JavaScript and on a phone: yes/no questions are radios,
dates are GOV.UK date inputs, and the actions are plain rows (one more than are filled). A "why
not" box sits under the "No" it explains, revealed when "No" is chosen (shown without JavaScript)."""

from datetime import date

from django import forms
from django.utils import timezone

from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios, date_and_time, time_box
from cases.models import User
from cases.submissions import CreateOnce

from .models import Visit

YES_NO = [("yes", "Yes"), ("no", "No")]
ACTION_ROWS = 1
# Each yes/no question whose "No" needs a reason, and the box for that reason.
REVEALED_ON_NO = {"child_seen": "not_seen_reason", "seen_alone": "not_seen_alone_reason",
                  "bedroom_seen": "bedroom_not_seen_reason"}  # fmt: skip


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, coerce=lambda answer: answer == "yes", empty_value=None,
                                  required=False, widget=GovukRadios, help_text=help_text)  # fmt: skip


def _text(label: str, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))  # fmt: skip


def _answer(value):
    return None if value is None else ("yes" if value else "no")


class VisitForm(forms.Form):
    template_name = "visits/_fields.html"
    kind = forms.ChoiceField(label="Kind of visit", choices=Visit.Kind.choices,
                             error_messages={"required": "Select the kind of visit"})  # fmt: skip
    visited_on = GovukDateField(label="Date of the visit", help_text="For example, 27 3 2026")
    visited_time = time_box("Time the visit started")
    other_visitors = forms.CharField(label="Who else visited", required=False, max_length=300,
                                     help_text="Names and roles, if anyone came with you")  # fmt: skip
    place = forms.ChoiceField(label="Where", choices=Visit.Place.choices, required=False, widget=GovukRadios)
    place_detail = forms.CharField(label="Where, in more detail", required=False, max_length=200)
    announced = _yes_no("Was the visit announced?")
    present = _text("Who was present", rows=2)
    child_seen = _yes_no("Was the child seen?")
    not_seen_reason = _text("If not, why was the child not seen?", rows=2)
    seen_alone = _yes_no("Was the child seen alone?")
    not_seen_alone_reason = _text("If not, why was the child not seen alone?", rows=2)
    bedroom_seen = _yes_no("Was the child's bedroom seen?", "For visits at home or in the placement")
    bedroom_not_seen_reason = _text("If not, why was the bedroom not seen?", rows=2)
    child_views = _text("The child's wishes and feelings, in their own words", rows=6,
                        help_text="Their words where they can give them; otherwise what they showed you")
    observations = _text("Observations", rows=6, help_text="What you saw and heard: the home, the child, the adults")
    analysis = _text("Analysis", rows=6, help_text="What it means for the child's safety and the plan")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, authority_id: int, rows: int = ACTION_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        # Read once for every row's list: an action is given to a member of staff, whose My work it reaches.
        owners = [("", "Choose who"), *User.objects.filter(authority_id=authority_id, is_active=True)
                  .order_by("full_name").values_list("pk", "full_name")]  # fmt: skip
        for index in range(rows):
            number = index + 1
            self.fields[f"action_what_{index}"] = forms.CharField(label=f"Action {number}: what is to be done",
                                                                  required=False, max_length=300)  # fmt: skip
            self.fields[f"action_owner_{index}"] = forms.TypedChoiceField(
                label=f"Action {number}: who will do it", choices=owners, coerce=int, empty_value=None, required=False,
                help_text="It goes on their My work until it is due")  # fmt: skip
            self.fields[f"action_by_{index}"] = GovukDateField(label=f"Action {number}: by when", required=False)

    @classmethod
    def of(cls, visit: Visit, data=None):
        initial = {name: getattr(visit, name) for name in Visit.CONTENT_FIELDS if name not in ("actions", "visited_at")}
        for name in ("announced", "child_seen", "seen_alone", "bedroom_seen"):
            initial[name] = _answer(initial[name])
        local = timezone.localtime(visit.visited_at)
        initial |= {"visited_on": local.date(), "visited_time": f"{local:%H:%M}", "version": visit.version}
        for index, action in enumerate(visit.actions):
            initial |= {f"action_what_{index}": action["what"], f"action_owner_{index}": action.get("owner_id"),
                        f"action_by_{index}": date.fromisoformat(action["by_when"])}  # fmt: skip
        return cls(data, initial=initial, rows=len(visit.actions) + ACTION_ROWS, authority_id=visit.authority_id)

    def get_context(self):
        """The fields in order, each "why not" box drawn inside its question rather than after it."""
        context = super().get_context()
        revealed = set(REVEALED_ON_NO.values())
        context["rows"] = [(field, self[REVEALED_ON_NO[field.name]] if field.name in REVEALED_ON_NO else None)
                           for field in self.visible_fields() if field.name not in revealed]  # fmt: skip
        return context

    def clean(self):
        data = super().clean()
        data["visited_at"] = date_and_time(self, "visited_on", "visited_time", "time the visit started")
        return data

    def content(self) -> dict:
        data = self.cleaned_data
        content = {name: data[name] for name in Visit.CONTENT_FIELDS if name in data}
        content["actions"] = [
            {"what": data[f"action_what_{index}"], "owner": data[f"action_owner_{index}"],
             "by_when": data[f"action_by_{index}"]}
            for index in range(self.rows)
        ]  # fmt: skip
        return content


class NewVisitForm(CreateOnce, VisitForm):
    """The one page that records a visit: the kind offered from the child's status and the date
    and time now, both changeable beside the write-up. Its once-only token also finds the draft
    that the page's automatic saves started (`visit_begin`)."""

    @classmethod
    def starting(cls, case, kind: str, data=None):
        now = timezone.localtime()
        # No draft exists until the first save; the draft's own version is checked from then on.
        initial = {"kind": kind, "visited_on": now.date(), "visited_time": f"{now:%H:%M}", "version": 0}
        return cls(data, initial=initial, authority_id=case.authority_id)


class ConditionsForm(forms.Form):
    conditions = forms.MultipleChoiceField(label="What the child's visits vary on", required=False,
                                           widget=GovukCheckboxes)  # fmt: skip
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason for the change"})  # fmt: skip

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conditions"].choices = choices
