from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:pk>/placements/", views.child_placements, name="child-placements"),
    path("children/<int:pk>/placements/new/", views.placement_new, name="placement-new"),
    path("placements/<int:pk>/permanence/", views.placement_permanence, name="placement-permanence"),
]
