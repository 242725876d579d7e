"""URLs of this part of the child's record; included from cases/urls/__init__.py."""

from django.urls import path

from cases.views import family as views

urlpatterns = [
    path("children/<int:pk>/details/", views.child_details, name="child-details"),
    path("children/<int:pk>/details/change/", views.child_details_change, name="child-details-change"),
    path("children/<int:pk>/addresses/new/", views.address_new, name="address-new"),
    path("children/<int:pk>/family/", views.child_family, name="child-family"),
    path("children/<int:pk>/family/new/", views.relationship_new, name="relationship-new"),
    path("relationships/<int:pk>/change/", views.relationship_change, name="relationship-change"),
    path("relationships/<int:pk>/end/", views.relationship_end_view, name="relationship-end"),
    path("children/<int:pk>/professionals/new/", views.professional_new, name="professional-new"),
    path("professionals/<int:pk>/change/", views.professional_change, name="professional-change"),
    path("professionals/<int:pk>/end/", views.professional_end_view, name="professional-end"),
    path("children/<int:pk>/status/", views.child_status, name="child-status"),
    path("children/<int:pk>/status/new/", views.status_new, name="status-new"),
    path("statuses/<int:pk>/end/", views.status_end_view, name="status-end"),
]
