from django.urls import path

from . import views

urlpatterns = [
    path("supervision/", views.overview, name="supervision"),
    path("supervision/new/<int:worker_pk>/", views.session_new, name="supervision-new"),
    path("supervision/sessions/<int:pk>/", views.session_detail, name="supervision-session"),
    path("supervision/sessions/<int:pk>/sign/", views.session_sign, name="supervision-sign"),
    path("children/<int:pk>/supervision/", views.child_supervision, name="child-supervision"),
    path("cases/<int:pk>/oversight/new/", views.oversight_new, name="oversight-new"),
]
