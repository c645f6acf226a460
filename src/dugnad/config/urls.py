"""URL routes: admin, sign-in, and the web app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("dugnad.api.urls")),
    path("", include("dugnad.web.urls")),
]
