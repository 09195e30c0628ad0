import csv
import datetime
import io

from django.test import TestCase, override_settings
from django.urls import reverse

from letters.models import Event
from tests import factories as f


@override_settings(SITE_ORIGIN="https://tracker.example.org")
class EventPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.other = f.make_jurisdiction("City of Fresno")
        cls.psp = f.make_program("PSP", kind="technical_assistance")
        cls.jag = f.make_program("Byrne JAG")
        cls.condition = f.make_condition("jail_access")
        cls.psp_letter = f.make_letter(cls.city, cls.psp, [cls.condition])
        cls.jag_letter = f.make_letter(cls.city, cls.jag, sent_on=datetime.date(2017, 11, 15), deadline=None)
        cls.unrelated = f.make_letter(cls.other, cls.psp)
        cls.event = f.make_event(
            [cls.city],
            kind=Event.Kind.RESPONSE,
            title="Stockton answers DOJ",
            summary="The city says the county runs the jail.",
            actor="Chief Eric Jones",
            notes="Reported on Aug 21. Split per city, in responses.csv. More at https://example.org/a?b=1&c=<x>",
        )
        cls.event.programs.add(cls.psp)
        cls.event.conditions.add(cls.condition)

    def test_event_page_shows_the_event_its_sources_and_related_letters(self):
        response = self.client.get(f"/events/{self.event.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<h1>Stockton answers DOJ</h1>", html=True)
        self.assertContains(response, "Chief Eric Jones")
        self.assertContains(response, self.event.sources.get().url)
        self.assertContains(response, f'href="{self.city.get_absolute_url()}"')
        self.assertContains(response, f'href="{self.condition.get_absolute_url()}"')
        # Letters to the governments involved, under the programs the event names.
        self.assertEqual(list(response.context["letters"]), [self.psp_letter])
        self.assertContains(response, f'href="{self.psp_letter.get_absolute_url()}"')
        # Breadcrumbs lead back to the timeline.
        self.assertContains(response, f'<li><a href="{reverse("letters:timeline")}">Timeline</a></li>', html=True)

    def test_notes_are_linked_escaped_and_without_internal_file_names(self):
        response = self.client.get(self.event.get_absolute_url())
        self.assertNotContains(response, "responses.csv")
        self.assertContains(response, "Reported on Aug 21.")
        self.assertContains(response, 'href="https://example.org/a?b=1&amp;c="')
        self.assertNotContains(response, "<x>")

    def test_an_event_naming_no_program_relates_every_letter_to_its_governments(self):
        event = f.make_event([self.city])
        response = self.client.get(event.get_absolute_url())
        self.assertEqual(set(response.context["letters"]), {self.psp_letter, self.jag_letter})

    def test_json(self):
        data = self.client.get(self.event.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(data["title"], "Stockton answers DOJ")
        self.assertEqual(data["jurisdictions"], [self.city.slug])
        self.assertEqual(data["letters"], [self.psp_letter.pk])
        self.assertEqual(data["url"], f"https://tracker.example.org/events/{self.event.pk}/")

    def test_unknown_event_is_a_404(self):
        self.assertEqual(self.client.get("/events/999999/").status_code, 404)

    def test_timeline_export_and_pages_link_to_the_event_page(self):
        page_url = f"/events/{self.event.pk}/"
        self.assertEqual(self.event.get_absolute_url(), page_url)
        self.assertContains(self.client.get(reverse("letters:timeline")), f'href="{page_url}"')
        self.assertContains(self.client.get(reverse("dashboard:home")), f'href="{page_url}"')
        self.assertContains(self.client.get(self.city.get_absolute_url()), f'href="{page_url}"')
        rows = list(
            csv.DictReader(
                io.StringIO(self.client.get(reverse("letters:timeline"), {"format": "csv"}).getvalue().decode())
            )
        )
        event_rows = [row for row in rows if row["title"] == "Stockton answers DOJ"]
        self.assertEqual(event_rows[0]["url"], f"https://tracker.example.org{page_url}")
        self.assertNotIn("#event-", "".join(row["url"] for row in rows))
        self.assertContains(self.client.get("/sitemap.xml"), f"https://tracker.example.org{page_url}")

    def test_queries_do_not_grow_with_letters(self):
        url = self.event.get_absolute_url()
        self.client.get(url)
        with self.assertNumQueries(EVENT_QUERIES):
            self.client.get(url)
        for index in range(10):
            f.make_letter(
                self.city, self.psp, [self.condition], sent_on=datetime.date(2018, 1, index + 1), deadline=None
            )
        with self.assertNumQueries(EVENT_QUERIES):
            response = self.client.get(url)
        self.assertEqual(len(response.context["letters"]), 11)


# event, its jurisdictions, programs, conditions, sources; letters with status, their
# demands, bookings, sources; the change log; the data version (ETag, cite this)
EVENT_QUERIES = 12
