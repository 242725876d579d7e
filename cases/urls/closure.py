"""URLs of this part of the child's record; included from cases/urls/__init__.py."""

from django.urls import path

from cases.views import closure as closure_views

urlpatterns = [
    path("cases/<int:pk>/close/", closure_views.case_close, name="case-close"),
    path("cases/<int:pk>/transfer/", closure_views.case_transfer, name="case-transfer"),
    path("closure-requests/", closure_views.closure_requests, name="closure-requests"),
    path("closure-requests/<int:pk>/", closure_views.closure_request_decide, name="closure-request"),
    path("children/<int:pk>/restriction/", closure_views.child_restriction, name="child-restriction"),
    path("children/<int:pk>/access-log/", closure_views.child_access_log, name="child-access-log"),
]
