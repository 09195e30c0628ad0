from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jurisdictions.feeds import JurisdictionFeed
from letters.feeds import EventsFeed, LatestLettersFeed

admin.site.site_header = admin.site.site_title = "Sanctuary Tracker admin"
admin.site.index_title = "Data entry"

feeds = (
    [
        path("letters/", LatestLettersFeed(), name="letters"),
        path("events/", EventsFeed(), name="events"),
        path("jurisdictions/<slug:slug>/", JurisdictionFeed(), name="jurisdiction"),
    ],
    "feeds",
)

urlpatterns = [
    path("", include("dashboard.urls")),
    path("jurisdictions/", include("jurisdictions.urls")),
    path("lists/", include("sanctuary_lists.urls")),
    path("", include("letters.urls")),
    path("", include("programs.urls")),
    path("", include("compliance.urls")),
    path("feeds/", include(feeds)),
    path("search/", include("search.urls")),
    path("corrections/", include("corrections.urls")),
    path("alerts/", include("alerts.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]
