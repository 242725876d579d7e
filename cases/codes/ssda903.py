"""Code lists of the DfE's SSDA903 return for children looked after. Meanings are paraphrased
from the DfE's guide to the SSDA903 collection; tests/cases/test_dfe_codes.py holds every list to
the DfE's own validator (csc-validator-be-903), year by year."""

from django.db import models

from .lists import CodeList

SSDA903_SOURCE = (
    "DfE, Children looked after by local authorities in England: guide to the SSDA903 collection "
    "(collection years 2024-25 to 2026-27); validated by csc-validator-be-903"
)


class LegalStatus(models.TextChoices):
    """SSDA903 legal status (LS) of a looked-after child."""

    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    V2 = "V2", "Accommodated under section 20: a single period of accommodation"
    V3 = "V3", "Accommodated under section 20: an agreed series of short breaks, each recorded as an episode"
    V4 = "V4", "Accommodated under section 20: an agreed series of short breaks, recorded as agreements"
    L1 = "L1", "Under police protection and in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order, and in local authority accommodation"
    J1 = "J1", "Remanded to local authority accommodation or to youth detention accommodation"
    J2 = "J2", "Placed in local authority accommodation under PACE, including secure accommodation"
    J3 = "J3", "Sentenced to a supervision order with a residence requirement"


class PlacementType(models.TextChoices):
    """SSDA903 placement type (PL)."""

    A3 = "A3", "Placed for adoption with parental consent, with the current foster carers"
    A4 = "A4", "Placed for adoption with parental consent, not with the current foster carers"
    A5 = "A5", "Placed for adoption with a placement order, with the current foster carers"
    A6 = "A6", "Placed for adoption with a placement order, not with the current foster carers"
    H5 = "H5", "Semi-independent living not subject to children's homes regulations (before 2025)"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home subject to the Children's Homes Regulations"
    K3 = "K3", "Supported accommodation, not subject to children's homes regulations"
    P1 = "P1", "Placed with own parents or another person with parental responsibility"
    P2 = "P2", "Independent living, such as a flat, lodgings or with friends (before 2025)"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution"
    S1 = "S1", "Residential school (not also registered as a children's home)"
    T0 = "T0", "Temporary move of any kind"
    T1 = "T1", "Temporary period in hospital"
    T2 = "T2", "Temporary absence on holiday"
    T3 = "T3", "Temporary accommodation while the usual foster carer is on holiday"
    T4 = "T4", "Temporary accommodation of seven days or less, for any other reason"
    U1 = "U1", "Foster placement with a relative or friend: long-term fostering"
    U2 = "U2", "Foster placement with a relative or friend who is also an approved adopter (fostering for adoption)"
    U3 = "U3", "Foster placement with a relative or friend: not long-term or fostering for adoption"
    U4 = "U4", "Foster placement with another foster carer: long-term fostering"
    U5 = "U5", "Foster placement with another foster carer who is also an approved adopter (fostering for adoption)"
    U6 = "U6", "Foster placement with another foster carer: not long-term or fostering for adoption"
    Z1 = "Z1", "Other placement (before 2025)"
    Z11 = "Z11", "Other placement: the DfE's sub-type Z11"
    Z12 = "Z12", "Other placement: the DfE's sub-type Z12"
    Z13 = "Z13", "Other placement: the DfE's sub-type Z13"
    Z14 = "Z14", "Other placement: the DfE's sub-type Z14"


LEGAL_STATUSES = CodeList("Legal status", SSDA903_SOURCE, tuple(LegalStatus.choices), {"D1": (None, 2004)})
PLACEMENT_TYPES = CodeList("Placement type", SSDA903_SOURCE, tuple(PlacementType.choices), {
    "H5": (None, 2022), "K3": (2023, None),
    "P2": (None, 2024), "Z1": (None, 2024),
    "Z11": (2025, None), "Z12": (2025, None), "Z13": (2025, None), "Z14": (2025, None),
})  # fmt: skip

PLACEMENT_PROVIDERS = CodeList("Placement provider", SSDA903_SOURCE, (
    ("PR0", "Parents or another person with parental responsibility"),
    ("PR1", "This council's own provision, including a regional adoption agency this council hosts"),
    ("PR2", "Another council's provision, including a regional adoption agency another council hosts"),
    ("PR3", "Another public-sector provider, such as the NHS"),
    ("PR4", "A private provider"),
    ("PR5", "A voluntary or third-sector provider"),
))  # fmt: skip

NEW_EPISODE_REASONS = CodeList("Reason for a new episode", SSDA903_SOURCE, (
    ("S", "Started to be looked after"),
    ("L", "Change of legal status only"),
    ("P", "Change of placement and carer only"),
    ("T", "Change of placement only, with the same carer (for example, the carer moved house)"),
    ("B", "Change of legal status, placement and carer on the same day"),
    ("U", "Change of legal status and placement on the same day, with the same carer"),
))  # fmt: skip

EPISODE_END_REASONS = CodeList("Reason the episode ended", SSDA903_SOURCE, (
    ("X1", "The episode ended and a new one began the same day"),
    ("E11", "Adopted: the application for an adoption order was unopposed"),
    ("E12", "Adopted: the court dispensed with consent"),
    ("E2", "Died"),
    ("E3", "Care taken over by another local authority in the UK"),
    ("E4A", "Returned home to parents, relatives or others with parental responsibility, as part of care planning"),
    ("E4B", "Returned home to parents, relatives or others with parental responsibility, not as part of care planning"),
    ("E13", "Left care to live with parents, relatives or others with no parental responsibility"),
    ("E41", "Residence order or child arrangements order (saying who the child lives with) granted"),
    ("E45", "Special guardianship order made to former foster carers who are relatives or friends"),
    ("E46", "Special guardianship order made to former foster carers who are not relatives or friends"),
    ("E47", "Special guardianship order made to other carers who are relatives or friends"),
    ("E48", "Special guardianship order made to other carers who are not relatives or friends"),
    ("E5", "Moved to independent living with formal advice or support (such as a hostel, foyer or staying close)"),
    ("E6", "Moved to independent living without formal support (such as a bedsit, own flat or with friends)"),
    ("E7", "Transferred to residential care funded by adult social care"),
    ("E8", "Stopped being looked after for any other reason (never only because the child turned 18)"),
    ("E9", "Sentenced to custody"),
    ("E14", "Accommodation on remand ended"),
    ("E15", "Age assessment found the child to be 18 or over"),
    ("E16", "Child moved abroad (including deportation)"),
    ("E17", "Aged 18 or over and stayed with their carers (including staying put)"),
))  # fmt: skip

PLACEMENT_CHANGE_REASONS = CodeList("Reason the placement changed", SSDA903_SOURCE, (
    ("CARPL", "Change to, or carrying out of, the care plan"),
    ("CLOSE", "The provider resigned or the provision closed"),
    ("ALLEG", "An allegation (section 47 enquiry)"),
    ("STAND", "Standards of care concern"),
    ("APPRR", "The carer's approval was removed"),
    ("CREQB", "The carer asked for the placement to end because of the child's behaviour"),
    ("CREQO", "The carer asked for the placement to end for another reason"),
    ("CHILD", "The child asked for the placement to end"),
    ("LAREQ", "The responsible or area authority asked for the placement to end"),
    ("PLACE", "Change in the placement's status only"),
    ("CUSTOD", "The child was admitted into custody"),
    ("OTHER", "Other (only in exceptional circumstances)"),
))  # fmt: skip

REVIEW_PARTICIPATION = CodeList("Participation in the review", SSDA903_SOURCE, (
    ("PN0", "Child under 4 at the time of the review"),
    ("PN1", "Child spoke for themselves at the review"),
    ("PN2", "An advocate spoke on the child's behalf at the review"),
    ("PN3", "The child attended and conveyed their views without words (for example, with symbols)"),
    ("PN4", "The child attended but did not speak, convey their views or ask an advocate to"),
    ("PN5", "The child did not attend but briefed an advocate or the IRO to speak for them"),
    ("PN6", "The child did not attend but conveyed their feelings another way (text, writing, phone, video)"),
    ("PN7", "The child did not attend or convey their views"),
))  # fmt: skip

SDQ_REASONS = CodeList("Why no SDQ score", SSDA903_SOURCE, (
    ("SDQ1", "No form returned: the child was under 4 or over 16 at the latest assessment"),
    ("SDQ2", "The carer refused to complete and return the questionnaire"),
    ("SDQ3", "Not possible because of the severity of the child's disability"),
    ("SDQ4", "Other"),
    ("SDQ5", "The child or young person refused to allow it"),
))  # fmt: skip

IN_TOUCH = CodeList("In touch with the care leaver", SSDA903_SOURCE, (
    ("YES", "Yes, in touch"),
    ("NO", "No, not in touch"),
    ("DIED", "Died after leaving care"),
    ("REFU", "The young person refuses contact"),
    ("NREQ", "The young person no longer needs children's social care services"),
    ("RHOM", "Returned to live with parents or others with parental responsibility for 6 months or more"),
))  # fmt: skip

NOT_GIVEN = "Not given: the young person has died or returned home"
CARE_LEAVER_ACTIVITIES = CodeList("Main activity of the care leaver", SSDA903_SOURCE, (
    ("F1", "Higher education (beyond A level), full-time"),
    ("P1", "Higher education, part-time"),
    ("F2", "Education other than higher education, full-time"),
    ("P2", "Education other than higher education, part-time"),
    ("F4", "Apprenticeship, full-time"),
    ("P4", "Apprenticeship, part-time"),
    ("F5", "Training or employment (not an apprenticeship), full-time"),
    ("P5", "Training or employment (not an apprenticeship), part-time"),
    ("G4", "Not in education, training or employment: illness or disability"),
    ("G5", "Not in education, training or employment: other circumstances"),
    ("G6", "Not in education, training or employment: pregnancy or parenting"),
    ("0", NOT_GIVEN),
))  # fmt: skip

# OC3 accommodation: one letter for the kind, then 1 (suitable) or 2 (not suitable); "0" when the
# young person has died or returned home. No fixed abode (S) and custody (X) are never suitable.
CARE_LEAVER_ACCOMMODATION_KINDS = (
    ("B", "With parents or relatives"),
    ("C", "Community home or other residential care, such as an NHS establishment"),
    ("D", "Semi-independent or transitional accommodation, or self-contained with floating or personal support"),
    ("E", "Supported lodgings (usually in a family home, with formal advice and support)"),
    ("G", "Gone abroad"),
    ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"),
    ("R", "Residence not known"),
    ("S", "No fixed abode or homeless"),
    ("T", "Foyer or similar supported accommodation with education, training or work"),
    ("U", "Independent living, such as their own tenancy, or college or university accommodation"),
    ("V", "Emergency accommodation, such as a night shelter or hostel"),
    ("W", "Bed and breakfast"),
    ("X", "In custody"),
    ("Y", "Other accommodation"),
    ("Z", "With former foster carers, staying on after turning 18 as planned"),
)
NEVER_SUITABLE = {"S", "X"}
CARE_LEAVER_ACCOMMODATION = CodeList("Accommodation of the care leaver", SSDA903_SOURCE, tuple(
    [(f"{kind}{suitable}", f"{label}: {'suitable' if suitable == 1 else 'not suitable'}")
     for kind, label in CARE_LEAVER_ACCOMMODATION_KINDS for suitable in (1, 2)
     if not (suitable == 1 and kind in NEVER_SUITABLE)]
    + [("0", NOT_GIVEN)]
))  # fmt: skip

SOCIAL_WORKER_CHANGE_REASONS = CodeList("Reason the social worker changed", SSDA903_SOURCE, (
    ("MANAGE", "Managing caseloads"),
    ("FCONTA", "First contact or re-referral"),
    ("LEFTRL", "The previous social worker left the role"),
    ("ORGRST", "A restructure of the service"),
    ("TSPROC", "The child transferred under the usual process"),
    ("ABSENC", "Cover for an absence, or a return from absence"),
    ("CHCHAN", "The child asked for a change of social worker"),
    ("PCCHAN", "A parent or carer asked for a change of social worker"),
    ("SWDIED", "The previous social worker died"),
    ("OTHERS", "Another reason"),
))  # fmt: skip

ADOPTER_SEXES = CodeList("Sex of the adopters", SSDA903_SOURCE, (
    ("M1", "Single man"),
    ("F1", "Single woman"),
    ("MM", "Male couple"),
    ("FF", "Female couple"),
    ("MF", "Male and female couple"),
))  # fmt: skip

ADOPTER_LEGAL_STATUSES = CodeList("Legal status of the adopters", SSDA903_SOURCE, (
    ("L0", "Single adopter"),
    ("L11", "Married couple of different genders"),
    ("L12", "Married couple of the same gender"),
    ("L2", "Couple in a civil partnership"),
    ("L3", "Unmarried couple of different genders"),
    ("L4", "Couple of the same gender, neither married nor in a civil partnership"),
))  # fmt: skip

PLACED_FOR_ADOPTION_ENDED = CodeList("Why the decision to place for adoption was reversed", SSDA903_SOURCE, (
    ("RD1", "The child's needs changed after the decision"),
    ("RD2", "The court did not make a placement order"),
    ("RD3", "The prospective adopters could not be found"),
    ("RD4", "Any other reason"),
))  # fmt: skip

PREVIOUS_PERMANENCE = CodeList("Previous permanence", SSDA903_SOURCE, (
    ("P1", "Adoption"),
    ("P2", "Special guardianship order"),
    ("P3", "Residence order or child arrangements order (saying who the child lives with)"),
    ("P4", "Not known whether the child had a previous permanence order"),
    ("Z1", "The child has not had a previous permanence order"),
))  # fmt: skip

MISSING_KINDS = CodeList("Missing or away without authorisation", SSDA903_SOURCE, (
    ("M", "Missing: not where they should be, and where they are is not known"),
    ("A", "Away without authorisation: where they are is known, but they should not be there"),
))  # fmt: skip
