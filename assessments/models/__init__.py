"""The assessment records: single assessments and their sign-off (assessments.py), strategy
discussions and section 47 enquiries (enquiries.py)."""

from .assessments import Assessment, AssessmentTransition
from .enquiries import Section47Enquiry, StrategyDiscussion

__all__ = ["Assessment", "AssessmentTransition", "Section47Enquiry", "StrategyDiscussion"]
