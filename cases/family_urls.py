"""URLs of this part of the child's record; included from cases/urls.py."""

urlpatterns = []
