from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .sitemaps import SITEMAPS

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about_data"),
    path("about/glossary/", views.about_glossary, name="glossary"),
    path("about/api/", views.about_api, name="about_api"),
    path("api/openapi.json", views.openapi_json, name="openapi"),
    path("data/", views.data_download, name="data"),
    path("data/sanctuary-tracker-data.zip", views.data_zip, name="data_zip"),
    path("data/sanctuary-tracker-data.sqlite3", views.data_sqlite, name="data_sqlite"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
