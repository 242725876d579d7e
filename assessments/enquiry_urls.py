"""Strategy discussions and section 47 enquiries; included from assessments/urls.py."""

urlpatterns = []
