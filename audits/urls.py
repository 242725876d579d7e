from django.urls import path

from . import views

urlpatterns = [
    path("audits/", views.audit_index, name="audits"),
    path("audits/programmes/new/", views.programme_new, name="audit-programme-new"),
    path("audits/programmes/<int:pk>/", views.programme_detail, name="audit-programme"),
    path("audits/programmes/<int:pk>/sample/", views.programme_sample_view, name="audit-programme-sample"),
    path("audits/programmes/<int:pk>/pick/", views.programme_pick, name="audit-programme-pick"),
    path("audits/<int:pk>/", views.audit_detail, name="audit"),
    path("audits/<int:pk>/start/", views.audit_start_view, name="audit-start"),
    path("audits/<int:pk>/reassign/", views.audit_reassign_view, name="audit-reassign"),
    path("audits/<int:pk>/sections/", views.audit_sections, name="audit-sections"),
    path("audits/<int:pk>/sections/<str:code>/", views.audit_section, name="audit-section"),
    path("audits/<int:pk>/grade/", views.audit_grade, name="audit-grade"),
    path("audits/<int:pk>/actions/new/", views.audit_action_new, name="audit-action-new"),
    path("audits/<int:pk>/respond/", views.audit_respond_view, name="audit-respond"),
    path("audits/<int:pk>/moderate/", views.audit_moderate_view, name="audit-moderate"),
    path("audits/<int:pk>/lock/", views.audit_lock_view, name="audit-lock"),
    path("audits/<int:pk>/report.pdf", views.audit_pdf, name="audit-pdf"),
    path("audits/actions/<int:pk>/", views.audit_action, name="audit-action"),
    path("audits/results/", views.audit_reports, name="audit-reports"),
    path("audits/results.csv", views.audit_reports_csv, name="audit-reports-csv"),
    path("audits/templates/", views.templates_index, name="audit-templates"),
    path("audits/templates/sections/<int:pk>/", views.template_section, name="audit-template-section"),
    path("audits/templates/items/<int:pk>/edit/", views.template_item_edit, name="audit-template-item"),
]
