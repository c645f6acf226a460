"""Routes of the web app."""

from django.contrib.auth import views as auth_views
from django.urls import path

from dugnad.web.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("logg-inn/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("enheter/<str:code>/", pages.unit_detail, name="unit-detail"),
]
