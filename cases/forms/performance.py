from django import forms


class PerformanceFilterForm(forms.Form):
    """Which team's figures: the choices are only the teams this person may read."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All your teams"), *((team.pk, team.name) for team in teams)]
