"""URLs of this part of the child's record; included from cases/urls/__init__.py."""

from django.urls import path

from cases.views import records as record_views

urlpatterns = [
    path("children/<int:pk>/notes/", record_views.notes_list, name="case-notes"),
    path("children/<int:pk>/notes/new/", record_views.note_new, name="case-note-new"),
    path("notes/<int:pk>/edit/", record_views.note_edit, name="case-note-edit"),
    path("notes/<int:pk>/strike/", record_views.note_strike, name="case-note-strike"),
    path("children/<int:pk>/chronology/", record_views.chronology, name="chronology"),
    path("children/<int:pk>/chronology/new/", record_views.chronology_new, name="chronology-new"),
    path("children/<int:pk>/chronology.pdf", record_views.chronology_pdf, name="chronology-pdf"),
    path("children/<int:pk>/record.pdf", record_views.record_pdf, name="record-pdf"),
    path("chronology/<int:pk>/strike/", record_views.chronology_strike, name="chronology-strike"),
    path("children/<int:pk>/summary/", record_views.case_summary, name="case-summary"),
]
