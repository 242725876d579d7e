from django.urls import include, path

from assessments.views import assessments as views

urlpatterns = [
    path("children/<int:pk>/assessments/", views.child_assessments, name="child-assessments"),
    path("cases/<int:pk>/assessments/new/", views.start, name="assessment-start"),
    path("assessments/awaiting-sign-off/", views.awaiting, name="assessments-awaiting"),
    path("assessments/<int:pk>/", views.detail, name="assessment"),
    path("assessments/<int:pk>/edit/", views.edit, name="assessment-edit"),
    path("assessments/<int:pk>/autosave/", views.autosave, name="assessment-autosave"),
    path("assessments/<int:pk>/decide/", views.decide, name="assessment-decide"),
    path("assessments/<int:pk>/progress-review/", views.progress_review, name="assessment-progress-review"),
    path("assessments/<int:pk>/track/", views.change_track, name="assessment-track"),
    path("assessments/<int:pk>.pdf", views.pdf, name="assessment-pdf"),
    path("", include("assessments.urls.enquiries")),
]
