"""The DfE's assessment factors, with their true meanings.

The list offered until now was right up to 7A; from 8B on every label named a different DfE factor.
The worker ticked the label, so each stored code moves to the DfE code for that label. Decisions
(old code, the label the worker saw, the DfE code for it):

- 8B "Special educational needs" -> 20 (other). The DfE has no factor for special educational
  needs; the assessment's text keeps the detail.
- 8E "Unaccompanied asylum-seeking child" -> 9A.
- 8F "Going or being missing" -> 10A.
- 9A "Child sexual exploitation" -> 11A.
- 10A "Trafficking" -> 12A.
- 11A "Gangs" -> 13A.
- 12A "Socially unacceptable behaviour" -> 14A.
- 13A "Self-harm" -> 15A.
- 14A "Neglect" -> 16A.
- 15A "Emotional abuse" -> 17A.
- 16A "Physical abuse" -> 18C (by an adult). Since 2020-21 the DfE asks who harmed the child; the
  old label did not. Harm by an adult is by far the commoner; where another child caused the harm,
  the assessment's author or manager changes the factor to 18B on the assessment.
- 17A "Sexual abuse" -> 19C (by an adult), for the same reason and with the same check.
- 18B "Other: female genital mutilation" -> 22A.
- 20 "Radicalisation" -> 20 (other): the DfE has no radicalisation factor and counts it as other.
- 21 "No factors identified" -> 21, unchanged.
- 22A "Child criminal exploitation" -> 24A.
- 23A "Privately fostered" -> 8F (privately fostered: other). 23A is the DfE's abuse linked to
  faith or belief.

The same move is made in the assessment's history."""

from django.db import migrations

from cases.codes.moves import move_listed_codes

FACTOR_MOVES = {
    "8B": "20", "8E": "9A", "8F": "10A", "9A": "11A", "10A": "12A", "11A": "13A", "12A": "14A",
    "13A": "15A", "14A": "16A", "15A": "17A", "16A": "18C", "17A": "19C", "18B": "22A", "22A": "24A",
    "23A": "8F",
}


def forwards(apps, schema_editor):
    for name in ("Assessment", "HistoricalAssessment"):
        move_listed_codes(apps.get_model("assessments", name), "factors", FACTOR_MOVES)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_strategy_and_s47'),
    ]

    operations = [
        # Not reversible: 8B and 20 both become 20, so the old code cannot be told back.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
