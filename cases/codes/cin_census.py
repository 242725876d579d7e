"""Code lists of the DfE children in need census. Meanings are paraphrased from the DfE's census
schema and guide; tests/cases/test_dfe_codes.py holds every list to the DfE's own validator
(csc-validator-be-cin), year by year."""

from django.db import models

from .lists import CodeList

CIN_SOURCE = (
    "DfE, Children in need census: technical specification and XML schema (CIN_schema, "
    "collection years 2023-24 to 2026-27); validated by csc-validator-be-cin"
)


class ReferralSource(models.TextChoices):
    """Who made the referral (CIN census ReferralSource, N00152)."""

    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance, including neighbours and childminders"
    SELF = "1C", "Individual: the child themselves"
    INDIVIDUAL_OTHER = "1D", "Individual: other, including strangers"
    SCHOOL = "2A", "School"
    EDUCATION = "2B", "Education services"
    GP = "3A", "Health services: GP"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    HOSPITAL = "3E", "Health services: A&E (accident and emergency)"
    OTHER_HEALTH = "3F", "Health services: other, such as a hospice"
    HOUSING = "4", "Housing: council housing or a housing association"
    SOCIAL_CARE = "5A", "Local authority: social care, such as adult social care"
    OTHER_INTERNAL = "5B", "Local authority: another department, such as youth justice (not housing)"
    EXTERNAL = "5C", "Local authority: external, such as another authority's adult social care"
    EARLY_HELP = "5D", "Local authority: early help"
    POLICE = "6", "Police"
    LEGAL = "7", "Other legal agency, such as a court, probation, immigration, Cafcass or a prison"
    OTHER = "8", "Other, such as a children's centre, an independent agency or a voluntary organisation"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class CategoryOfNeed(models.TextChoices):
    """The child's main need (CIN census PrimaryNeedCode; N1 to N8 also in the SSDA903 CIN field)."""

    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental illness or disability"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"
    N0 = "N0", "Not stated"


class ClosureReason(models.TextChoices):
    """Why the episode of need ended (CIN census ReasonForClosure)."""

    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including the child no longer being in need"
    RC8 = "RC8", "Closed after assessment: no further action"
    RC9 = "RC9", "Closed after assessment: referred to early help"


class CPCategory(models.TextChoices):
    """Category of abuse on a child protection plan (CIN census Initial/LatestCategoryOfAbuse)."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


REFERRAL_SOURCES = CodeList("Referral source", CIN_SOURCE, tuple(ReferralSource.choices))
PRIMARY_NEEDS = CodeList("Category of need", CIN_SOURCE, tuple(CategoryOfNeed.choices))
CLOSURE_REASONS = CodeList("Reason for closure", CIN_SOURCE, tuple(ClosureReason.choices))
ABUSE_CATEGORIES = CodeList("Category of abuse", CIN_SOURCE, tuple(CPCategory.choices))

# Factors identified at assessment (CIN census AssessmentFactors). Where the DfE's wording names
# who is of concern it is kept: "child", "parent or carer", "another person in the household".
ASSESSMENT_FACTORS = CodeList("Assessment factors", CIN_SOURCE, (
    ("1A", "Alcohol misuse by the child"),
    ("1B", "Alcohol misuse by a parent or carer"),
    ("1C", "Alcohol misuse by another person in the household"),
    ("2A", "Drug misuse by the child"),
    ("2B", "Drug misuse by a parent or carer"),
    ("2C", "Drug misuse by another person in the household"),
    ("3A", "Domestic abuse: the child is the subject of it"),
    ("3B", "Domestic abuse: a parent or carer is the subject of it"),
    ("3C", "Domestic abuse: another person in the household is the subject of it"),
    ("4A", "Mental health of the child"),
    ("4B", "Mental health of a parent or carer"),
    ("4C", "Mental health of another person in the family or household"),
    ("5A", "Learning disability of the child"),
    ("5B", "Learning disability of a parent or carer"),
    ("5C", "Learning disability of another person in the family or household"),
    ("6A", "Physical disability or illness of the child"),
    ("6B", "Physical disability or illness of a parent or carer"),
    ("6C", "Physical disability or illness of another person in the family or household"),
    ("7A", "Young carer: the child's caring responsibilities"),
    ("8B", "Privately fostered: a child from overseas who intends to return"),
    ("8C", "Privately fostered: a child from overseas who intends to stay"),
    ("8D", "Privately fostered: a UK child in an educational placement"),
    ("8E", "Privately fostered: a UK child in an alternative family arrangement"),
    ("8F", "Privately fostered: other"),
    ("9A", "Unaccompanied asylum-seeking child"),
    ("10A", "Going or being missing"),
    ("11A", "Child sexual exploitation"),
    ("12A", "Trafficking"),
    ("13A", "Gangs"),
    ("14A", "Socially unacceptable behaviour"),
    ("15A", "Self-harm"),
    ("16A", "Neglect"),
    ("17A", "Emotional abuse"),
    ("18A", "Physical abuse (before 2020-21, when who caused it was not asked)"),
    ("18B", "Physical abuse by another child"),
    ("18C", "Physical abuse by an adult"),
    ("19A", "Sexual abuse (before 2020-21, when who caused it was not asked)"),
    ("19B", "Sexual abuse by another child"),
    ("19C", "Sexual abuse by an adult"),
    ("20", "Other"),
    ("21", "No factors identified (only where none of the others applies and there is no further action)"),
    ("22A", "Female genital mutilation"),
    ("23A", "Abuse linked to faith or belief"),
    ("24A", "Child criminal exploitation"),
), {"18A": (None, 2019), "19A": (None, 2019), "18B": (2020, None), "18C": (2020, None),
      "19B": (2020, None), "19C": (2020, None), "24A": (2021, None)})  # fmt: skip

# CIN census Disabilities. "NONE" is an answer; a child with no code recorded is "not recorded".
DISABILITIES = CodeList("Disability", CIN_SOURCE, (
    ("NONE", "No disability"),
    ("MOB", "Mobility"),
    ("HAND", "Hand function"),
    ("PC", "Personal care"),
    ("INC", "Incontinence"),
    ("COMM", "Communication"),
    ("LD", "Learning"),
    ("HEAR", "Hearing"),
    ("VIS", "Vision"),
    ("BEH", "Behaviour"),
    ("CON", "Consciousness"),
    ("AUT", "Autism or Asperger syndrome"),
    ("DDA", "Other disability (as defined by the Equality Act)"),
))  # fmt: skip

# Why a child has no unique pupil number (CIN census UPNunknown; the SSDA903 takes UN1 to UN5 in
# its UPN field).
UPN_UNKNOWN = CodeList("Why there is no UPN", CIN_SOURCE, (
    ("UN1", "Not of school age and not yet given a UPN"),
    ("UN2", "Has never attended a state-funded school in England"),
    ("UN3", "Educated outside England"),
    ("UN4", "New to the council or newly looked after: the UPN is not known yet"),
    ("UN5", "Records disagree on the child's name or date of birth, so no UPN can be matched reliably"),
    ("UN6", "Unborn"),
    ("UN7", "Referral with no further action"),
))  # fmt: skip
