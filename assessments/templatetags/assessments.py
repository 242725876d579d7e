from django import template

from assessments.models.assessments import Assessment
from cases.codes import ASSESSMENT_FACTORS

register = template.Library()

FACTOR_NAMES = dict(ASSESSMENT_FACTORS.choices)
SECTIONS = ("developmental_needs", "parenting_capacity", "family_environment", "child_views", "parent_views",
            "diversity", "risks", "protective_factors", "analysis")  # fmt: skip


@register.filter
def assessment_sections(assessment: Assessment) -> list[tuple[str, str, str]]:
    """(name, label, text) for each written section, then the factors and the outcome, in order."""
    rows = [(name, Assessment._meta.get_field(name).verbose_name, getattr(assessment, name)) for name in SECTIONS]
    factors = ", ".join(f"{code} {FACTOR_NAMES.get(code, '')}".strip() for code in assessment.factors)
    rows.append(("factors", "Assessment factors", factors))
    rows.append(("outcome", "Outcome", assessment.get_outcome_display()))
    return rows
