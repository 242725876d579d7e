from django import forms
from django.utils import timezone

from assessments.models.assessments import Assessment
from cases.codes import ASSESSMENT_FACTORS
from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios
from cases.submissions import CreateOnce

TEXT = {"rows": 6}


def _text(label, hint=""):
    return forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea(attrs=TEXT))


class StartForm(CreateOnce):
    track = forms.ChoiceField(label="Track", widget=GovukRadios, error_messages={"required": "Select the track"})

    def __init__(self, *args, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [(t, Assessment.Track(t).label) for t in tracks]
        self.fields["track"].initial = Assessment.Track.STANDARD


class AssessmentForm(forms.Form):
    """The write-up. Every field may be empty in a draft; submitting asks for what sign-off needs."""

    developmental_needs = _text("Child's developmental needs", "Health, education, emotional development, identity")
    parenting_capacity = _text("Parenting capacity", "Basic care, safety, warmth, stimulation, guidance, stability")
    family_environment = _text("Family and environmental factors", "History, wider family, housing, income, community")
    child_views = _text("The child's views, in their own words")
    parent_views = _text("Parents' and carers' views", "Each parent's and carer's view, named")
    diversity = _text("Identity, culture and diversity")
    risks = _text("Risks")
    protective_factors = _text("Protective factors")
    analysis = _text("Analysis", "What the information means for the child, and why")
    factors = forms.MultipleChoiceField(label="Assessment factors", choices=ASSESSMENT_FACTORS.choices, required=False,
                                        widget=GovukCheckboxes)  # fmt: skip
    outcome = forms.ChoiceField(label="Outcome", choices=Assessment.Outcome.choices, required=False, widget=GovukRadios)
    child_seen_on = GovukDateField(label="Date the child was seen", required=False)
    child_seen_alone_on = GovukDateField(label="Date the child was seen alone", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def of(cls, assessment: Assessment, data=None):
        initial = {name: getattr(assessment, name) for name in Assessment.CONTENT_FIELDS}
        form = cls(data, initial=initial | {"version": assessment.version})
        # This collection year's factors, and any the assessment already holds from an earlier list.
        form.fields["factors"].choices = ASSESSMENT_FACTORS.offered(timezone.localdate(), keep=assessment.factors)
        return form

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in Assessment.CONTENT_FIELDS}


class ReturnForm(forms.Form):
    reasons = forms.CharField(label="What needs to change", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Enter what needs to change"})  # fmt: skip


class ApproveForm(forms.Form):
    """`due_at` is given only when the assessment is already late: then, and only then, the form
    asks why (the service requires it too)."""

    view = forms.CharField(label="Your view and the rationale for approving", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "Enter your view and the rationale for approving"})  # fmt: skip
    lateness_reason = forms.CharField(label="Why it was completed late", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, due_at=None, **kwargs):
        super().__init__(*args, **kwargs)
        if due_at is None:
            del self.fields["lateness_reason"]
            return
        due = f"{timezone.localtime(due_at):%a %-d %b %Y}"
        field = self.fields["lateness_reason"]
        field.help_text = f"It was due {due}"
        field.error_messages["required"] = f"Enter why the assessment was completed after it was due ({due})"


class TrackForm(forms.Form):
    track = forms.ChoiceField(label="New track", widget=GovukRadios, error_messages={"required": "Select the track"})
    reason = forms.CharField(label="Why the track is changing", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Enter why the track is changing"})  # fmt: skip

    def __init__(self, *args, tracks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [(t, Assessment.Track(t).label) for t in tracks]


class ProgressReviewForm(forms.Form):
    note = forms.CharField(label="Progress review", widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="What you found, and what should happen before completion",
                           error_messages={"required": "Enter what you found and what should happen next"})  # fmt: skip
