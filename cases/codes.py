"""Code lists from the DfE children-in-need census and the SSDA903 looked-after return, so that
what practitioners record can be returned to the DfE without translation."""

from django.db import models


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy or Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class ReferralSource(models.TextChoices):
    INDIVIDUAL = "1A", "Individual"
    FAMILY = "1B", "Family member, relative or carer"
    ACQUAINTANCE = "1C", "Acquaintance, including neighbours and child minders"
    SELF = "1D", "Self"
    SCHOOL = "2A", "School"
    EDUCATION = "2B", "Education services"
    HEALTH_VISITOR = "3A", "Health visitor"
    GP = "3B", "GP"
    HOSPITAL = "3C", "Health services: hospital, A&E"
    SCHOOL_NURSE = "3D", "School nurse"
    OTHER_PRIMARY_HEALTH = "3E", "Other primary health services"
    OTHER_HEALTH = "3F", "Health services: other"
    HOUSING = "4", "Housing"
    SOCIAL_CARE = "5A", "Local authority social care"
    OTHER_INTERNAL = "5B", "Other internal local authority service"
    EXTERNAL = "5C", "External, such as another local authority"
    EARLY_HELP = "5D", "Early help"
    POLICE = "6", "Police"
    LEGAL = "7", "Other legal agency"
    OTHER = "8", "Other"
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class CategoryOfNeed(models.TextChoices):
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
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class LegalStatus(models.TextChoices):
    """SSDA903 legal statuses of a looked-after child."""

    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    E1 = "E1", "Placement order granted"
    L1 = "L1", "Under police protection"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Child assessment order, away from home"
    V2 = "V2", "Accommodated under section 20 (single period)"
    V3 = "V3", "Accommodated under section 20 (agreed series of short breaks)"
    J1 = "J1", "Remanded to local authority accommodation"
    J2 = "J2", "Placed under section 38(6) of PACE"
    J3 = "J3", "Sentenced to a supervision order with residence requirement"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"
