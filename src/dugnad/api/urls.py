"""Routes of the HTTP API (mounted at ``api/`` by the project's URL conf): the open data API under ``v1/``, the
signed-in workflow API at the root."""

from django.urls import path

from dugnad.api import open_data
from dugnad.api.main import api

urlpatterns = [path("v1/", open_data.api.urls), path("", api.urls)]
