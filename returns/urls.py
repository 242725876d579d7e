from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.returns_index, name="returns"),
    path("returns/runs/<int:pk>/", views.return_run, name="return-run"),
    path("returns/runs/<int:pk>/download/", views.return_run_download, name="return-run-download"),
    path("returns/import/", views.import_upload, name="return-imports"),
    path("returns/import/<int:pk>/", views.import_preview, name="return-import"),
    path("returns/import/<int:pk>/confirm/", views.import_confirm_view, name="return-import-confirm"),
]
