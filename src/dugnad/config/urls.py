"""URL routes: admin, API, health, the web app, and the error pages."""

from django.contrib import admin
from django.urls import include, path

from dugnad.operations.health import health

handler400 = "dugnad.operations.errors.bad_request"
handler403 = "dugnad.operations.errors.permission_denied"
handler404 = "dugnad.operations.errors.page_not_found"
handler500 = "dugnad.operations.errors.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("dugnad.api.urls")),
    path("", include("dugnad.web.urls")),
]
