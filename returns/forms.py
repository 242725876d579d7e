from django import forms

from cases.govuk_widgets import GovukRadios
from cases.submissions import CreateOnce
from returns.models import ReturnRun
from returns.years import SUPPORTED, CollectionYear


class ReturnRunForm(CreateOnce):
    kind = forms.ChoiceField(label="Which return", choices=ReturnRun.Kind.choices, widget=GovukRadios,
                             error_messages={"required": "Select the return"})  # fmt: skip
    year_ending = forms.TypedChoiceField(
        label="Collection year (1 April to 31 March)", coerce=int, widget=GovukRadios,
        choices=[(year, CollectionYear(year).label) for year in SUPPORTED],
        error_messages={"required": "Select the collection year", "invalid_choice": "Select the collection year"},
    )


class ImportUploadForm(CreateOnce):
    file = forms.FileField(
        label="The return's file",
        help_text="The CIN census XML file, or a ZIP file of the SSDA903's CSV tables, as your previous system sent "
                  "them to the DfE",
        error_messages={"required": "Select the CIN census or SSDA903 file"})  # fmt: skip
