from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dashboard.urls")),
    path("jurisdictions/", include("jurisdictions.urls")),
    path("", include("letters.urls")),
    path("", include("programs.urls")),
    path("feeds/", include("sanctuary_tracker.feeds")),
    path("search/", include("search.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
