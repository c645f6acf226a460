"""Routes of the HTTP API (mounted at ``api/`` by the project's URL conf)."""

from django.urls import path

from dugnad.api.main import api

urlpatterns = [path("", api.urls)]
