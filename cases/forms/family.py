"""Forms for the child's details, addresses, family and network, professionals and legal status.
The services validate the record itself (dates, NHS number, categories); these forms turn the
boxes into values, with GOV.UK messages that name the field."""

from django import forms

from cases.codes import CPCategory, Ethnicity, Sex
from cases.codes import LegalStatus as LegalStatusCode
from cases.forms.children import BirthAndNhsNumber
from cases.govuk_widgets import GovukCheckboxes, GovukDateField, GovukRadios, date_and_time, time_box
from cases.models import Child, LegalStatus, Professional, Relationship
from cases.services.family import DETAIL_FIELDS
from cases.submissions import FIELD_NAME, CreateOnce

NUMERIC_10 = {"class": "govuk-input--width-10", "inputmode": "numeric"}
WIDTH_10 = {"class": "govuk-input--width-10"}
WIDTH_20 = {"class": "govuk-input--width-20"}
PHONE = {"class": "govuk-input--width-20", "autocomplete": "off"}


class TelephoneInput(forms.TextInput):
    input_type = "tel"


def _optional(label: str) -> str:
    return f"{label} (optional)"


class ChildDetailsForm(BirthAndNhsNumber, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100,
                                 error_messages={"required": "Enter the first name"})  # fmt: skip
    last_name = forms.CharField(label="Last name", max_length=100,
                                error_messages={"required": "Enter the last name"})  # fmt: skip
    other_names = forms.CharField(label=_optional("Other names"), required=False, max_length=300,
                                  help_text="Previous, alternative or known-as names, separated by commas")  # fmt: skip
    date_of_birth = GovukDateField(label="Date of birth", required=False, help_text="For example, 27 3 2019")
    expected_date_of_birth = GovukDateField(label="Expected date of birth", required=False,
                                            help_text="Only for an unborn child")  # fmt: skip
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=GovukRadios)
    gender_identity = forms.CharField(label=_optional("Gender identity"), required=False, max_length=100,
                                      help_text="In the child's words, where it differs from their sex")  # fmt: skip
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices)
    first_language = forms.CharField(label=_optional("First language"), required=False, max_length=100,
                                     widget=forms.TextInput(attrs=WIDTH_20))  # fmt: skip
    interpreter_needed = forms.BooleanField(label="The child or family needs an interpreter", required=False)
    religion = forms.CharField(label=_optional("Religion"), required=False, max_length=100,
                               widget=forms.TextInput(attrs=WIDTH_20))  # fmt: skip
    disability = forms.CharField(label=_optional("Disability"), required=False, max_length=300)
    immigration_status = forms.CharField(label=_optional("Immigration status"), required=False, max_length=200)
    nhs_number = forms.CharField(label=_optional("NHS number"), required=False, max_length=12,
                                 widget=forms.TextInput(attrs=NUMERIC_10))  # fmt: skip
    upn = forms.CharField(label=_optional("Unique pupil number"), required=False, max_length=13,
                          widget=forms.TextInput(attrs=WIDTH_20))  # fmt: skip
    school = forms.CharField(label=_optional("School or nursery"), required=False, max_length=200)
    gp = forms.CharField(label=_optional("GP"), required=False, max_length=200,
                         help_text="The practice, and the doctor if known")  # fmt: skip
    # The record's version when this form was loaded: a save after someone else's is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_child(cls, child: Child, version: int, data=None) -> "ChildDetailsForm":
        initial = {name: getattr(child, name) for name in DETAIL_FIELDS} | {"version": version}
        return cls(data, initial=initial)

    @classmethod
    def after_conflict(cls, child: Child, version: int, *, entered: dict, changed: list[str],
                       message: str) -> "ChildDetailsForm":  # fmt: skip
        """The form again after someone else saved first: their changes in the fields they
        changed, this user's answers in the rest, the new stamp, and the message at the top."""
        initial = entered | {name: getattr(child, name) for name in changed} | {"version": version}
        form = cls(initial=initial)
        form.cleaned_data = {}  # add_error expects it, and an unbound form never cleans
        form.add_error(None, message)
        return form

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}


class AddressForm(CreateOnce):
    address = forms.CharField(label="Address", widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": "Enter the address"})  # fmt: skip
    postcode = forms.CharField(label=_optional("Postcode"), required=False, max_length=10,
                               widget=forms.TextInput(attrs=WIDTH_10))  # fmt: skip
    lived_from = GovukDateField(label="Date they started living here", help_text="For example, 27 3 2025")


class Versioned(CreateOnce):
    """A change form: the record's version when the form was loaded (empty when adding), so a save
    made after someone else's is refused rather than overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def record_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @classmethod
    def initial_from(cls, record) -> dict:
        """The record's values for the change form, its version included."""
        return {name: getattr(record, name) for name in cls.base_fields if name != FIELD_NAME}


class RelationshipForm(Versioned):
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    LIVES_WITH_CHILD = "lives_with_child"

    kind = forms.ChoiceField(label="Relationship to the child", choices=Relationship.Kind.choices, widget=GovukRadios,
                             error_messages={"required": "Select their relationship to the child"})  # fmt: skip
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    circumstances = forms.MultipleChoiceField(
        label="Select all that apply",
        required=False,
        widget=GovukCheckboxes,
        choices=[(PARENTAL_RESPONSIBILITY, "Has parental responsibility"), (LIVES_WITH_CHILD, "Lives with the child")],
    )
    related_child = forms.CharField(label=_optional("Their case ID, if they are a child known to us"),
                                    required=False, help_text="For example, C000123",
                                    widget=forms.TextInput(attrs=WIDTH_10))  # fmt: skip
    phone = forms.CharField(label=_optional("Phone"), required=False, max_length=40, widget=TelephoneInput(attrs=PHONE))
    address = forms.CharField(label=_optional("Address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label=_optional("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, children, **kwargs):
        """`children`: the children this user may see, among which a case ID is looked up."""
        super().__init__(*args, **kwargs)
        self.children = children

    @classmethod
    def for_relationship(cls, relationship: Relationship, *, children, data=None) -> "RelationshipForm":
        circumstances = [name for name in (cls.PARENTAL_RESPONSIBILITY, cls.LIVES_WITH_CHILD)
                         if getattr(relationship, name)]  # fmt: skip
        related = relationship.related_child
        initial = {"kind": relationship.kind, "name": relationship.name, "circumstances": circumstances,
                   "related_child": related.reference if related else "", "phone": relationship.phone,
                   "address": relationship.address, "notes": relationship.notes,
                   "version": relationship.version}  # fmt: skip
        return cls(data, initial=initial, children=children)

    def clean_related_child(self):
        text = self.cleaned_data["related_child"].strip().upper()
        if not text:
            return None
        number = text.removeprefix("C")
        found = self.children.filter(pk=int(number)).first() if number.isdigit() else None
        if found is None:
            raise forms.ValidationError("Enter the case ID of a child known to us, like C000123")
        return found

    def relationship_fields(self) -> dict:
        data = self.record_fields()
        circumstances = data.pop("circumstances")
        data[self.PARENTAL_RESPONSIBILITY] = self.PARENTAL_RESPONSIBILITY in circumstances
        data[self.LIVES_WITH_CHILD] = self.LIVES_WITH_CHILD in circumstances
        return data


class ProfessionalForm(Versioned):
    role = forms.ChoiceField(label="Role", choices=[("", "Choose their role"), *Professional.Role.choices],
                             error_messages={"required": "Select their role"})  # fmt: skip
    name = forms.CharField(label="Full name", max_length=200, error_messages={"required": "Enter their full name"})
    organisation = forms.CharField(label=_optional("Organisation"), required=False, max_length=200)
    phone = forms.CharField(label=_optional("Phone"), required=False, max_length=40, widget=TelephoneInput(attrs=PHONE))
    email = forms.EmailField(label=_optional("Email address"), required=False,
                             error_messages={"invalid": "Enter an email address like name@school.org.uk"})  # fmt: skip


class EndForm(forms.Form):
    """One date: when a relationship, a professional's involvement or a status ended."""

    def __init__(self, *args, field: str, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.field = field
        self.fields[field] = GovukDateField(label=label, help_text="For example, 27 3 2025")

    @property
    def ended_on(self):
        return self.cleaned_data[self.field]


class StatusStartForm(CreateOnce):
    kind = forms.ChoiceField(label="Status", choices=LegalStatus.Kind.choices, widget=GovukRadios,
                             error_messages={"required": "Select the status"})  # fmt: skip
    cp_category = forms.ChoiceField(
        label="Category of the child protection plan", required=False,
        choices=[("", "Choose the category"), *CPCategory.choices], help_text="Only for a child protection plan",
    )  # fmt: skip
    legal_status = forms.ChoiceField(
        label="Legal status", required=False, choices=[("", "Choose the legal status"), *LegalStatusCode.choices],
        help_text="Only for a looked-after child: the order or section they are looked after under",
    )  # fmt: skip
    started_on = GovukDateField(label="Start date", help_text="For example, 27 3 2025")
    # Some authorities count the first looked-after clocks in hours (Wiltshire: a named IRO within
    # 24 hours), so for a looked-after child the hour matters.
    started_time = time_box("Time the child became looked after", required=False)

    def clean(self):
        data = super().clean()
        data["started_at"] = None
        if data.get("kind") == LegalStatus.Kind.LOOKED_AFTER:
            data["started_at"] = date_and_time(self, "started_on", "started_time", "time the child became looked after")
        elif (data.get("started_time") or "").strip():
            self.add_error("started_time", "Give a time only for a looked-after child")
        data.pop("started_time", None)
        return data
