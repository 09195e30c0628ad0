"""The site's URLs plus a trivial view, the baseline for bench/run's throughput ratios."""

from django.http import HttpResponse
from django.urls import path

from sanctuary_tracker.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *site_urlpatterns]
