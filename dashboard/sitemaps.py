"""sitemap.xml: every jurisdiction, letter, event, program, condition and published list page."""

from django.urls import reverse

from jurisdictions.models import Jurisdiction
from letters.models import Event, Letter
from listing.sitemaps import SiteSitemap
from programs.models import Condition, Program
from sanctuary_lists.models import PublishedList


class JurisdictionSitemap(SiteSitemap):
    def items(self):
        return Jurisdiction.objects.order_by("slug").only("slug")


class LetterSitemap(SiteSitemap):
    def items(self):
        return Letter.objects.order_by("pk").values_list("pk", flat=True)

    def location(self, pk):
        # reverse() per row costs a second over 50,000 letters; every URL has this shape.
        return reverse("letters:detail", kwargs={"pk": 999999999}).replace("999999999", str(pk))


class EventSitemap(SiteSitemap):
    def items(self):
        return Event.objects.order_by("pk").only("pk")


class ProgramSitemap(SiteSitemap):
    def items(self):
        return Program.objects.order_by("slug").only("slug")


class ConditionSitemap(SiteSitemap):
    def items(self):
        return Condition.objects.order_by("code").only("code")


class PublishedListSitemap(SiteSitemap):
    def items(self):
        return PublishedList.objects.order_by("slug").only("slug")


SITEMAPS = {
    "jurisdictions": JurisdictionSitemap,
    "letters": LetterSitemap,
    "events": EventSitemap,
    "programs": ProgramSitemap,
    "conditions": ConditionSitemap,
    "lists": PublishedListSitemap,
}
