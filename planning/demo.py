"""Demo placements: Tyler Evans, looked after, with foster carers since he came into care."""

from django.db import transaction

from cases.models import Case
from planning.services.placements import placement_start

from .models import Placement


@transaction.atomic
def seed_demo_placements(authority, staff) -> None:
    tyler = Case.objects.filter(authority=authority, child__first_name="Tyler", child__last_name="Evans",
                                closed_at=None).first()  # fmt: skip
    if tyler is None or Placement.objects.filter(case=tyler).exists():
        return
    placement_start(case=tyler, recorded_by=staff["social_worker"], placement_type="U6",
                    carer="Sam and Alex Shaw (foster carers)",
                    started_on=tyler.statuses.get(ended_on=None).started_on)  # fmt: skip
