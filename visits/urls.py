from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:pk>/visits/", views.child_visits, name="child-visits"),
    path("children/<int:pk>/visits/new/", views.visit_new, name="visit-new"),
    path("children/<int:pk>/visits/new/autosave/", views.visit_new_autosave, name="visit-new-autosave"),
    path("visits/due/", views.visits_due, name="visits-due"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit-edit"),
    path("visits/<int:pk>/autosave/", views.visit_autosave, name="visit-autosave"),
    path("visits/<int:pk>/actions/<int:index>/done/", views.visit_action_mark_done, name="visit-action-done"),
    path("visits/<int:pk>.pdf", views.visit_pdf, name="visit-pdf"),
    path("cases/<int:pk>/visit-conditions/", views.schedule_conditions, name="visit-conditions"),
]
