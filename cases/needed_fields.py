"""What the returns need from the child's own record (cases' part of the data-quality list)."""

from django.db.models import Q

from .codes import Ethnicity
from .data_quality import NeededField

BOTH_RETURNS = "the children in need census and the looked-after return"
STATUTORY_PAGE = ("child-statutory-change", "Change the details the DfE returns need")

CHILD_FIELDS = [
    NeededField(
        key="ethnicity", what="Ethnicity", needed_for=BOTH_RETURNS,
        record_at="child-details-change", record_label="Change the details",
        missing=lambda today: Q(child__ethnicity=Ethnicity.NOBT), order=10, on_the_record=True,
    ),
    NeededField(
        key="upn", what="Unique pupil number, or why there is none", needed_for=BOTH_RETURNS,
        record_at=STATUTORY_PAGE[0], record_label=STATUTORY_PAGE[1],
        missing=lambda today: Q(child__upn="", child__upn_unknown=""), order=20, on_the_record=True,
    ),
    NeededField(
        key="disabilities", what="Disabilities (“No disability” is an answer)", needed_for=BOTH_RETURNS,
        record_at=STATUTORY_PAGE[0], record_label=STATUTORY_PAGE[1],
        missing=lambda today: Q(child__disabilities=[]), order=30, on_the_record=True,
    ),
]  # fmt: skip
