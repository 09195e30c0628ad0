import re
from io import StringIO
from xml.etree import ElementTree

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from dashboard import charts, selectors, stored
from jurisdictions.control import ControlStatus
from jurisdictions.models import Jurisdiction
from letters.models import Demand, Event, Letter
from listing.exports import REGISTRY
from programs.models import Condition, Program
from programs.selectors import control_tally
from tests import factories as f

ATOM = "{http://www.w3.org/2005/Atom}"


class HomeOnSeedDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_each_figure_equals_the_count_of_the_list_it_links_to(self):
        figures = selectors.headline_figures()
        self.assertEqual(len(figures), len(selectors.FIGURES))
        for figure in figures:
            with self.subTest(figure=figure.text):
                listed = self.client.get(figure.url)
                self.assertEqual(listed.status_code, 200)
                self.assertEqual(listed.context["total_count"], figure.count)
        by_text = {figure.text: figure.count for figure in figures}
        self.assertEqual(by_text["letters sent"], Letter.objects.count())
        # The four PSP letters: none of the recipients ran the jail on August 3, 2017.
        self.assertGreaterEqual(
            by_text["letters asked a government that did not run the jail to meet a jail condition"], 4
        )
        self.assertGreater(by_text["letters ended with DOJ clearing the recipient"], 0)

    def test_home_page_links_each_figure_to_its_filtered_list(self):
        response = self.client.get(reverse("dashboard:home"))
        self.assertContains(response, '<a href="/letters/?control=does_not_control">')
        self.assertContains(response, '<a href="/jurisdictions/?targeted=true">')
        self.assertContains(response, 'id="chart-map-data" type="application/json"')

    def test_home_query_count_does_not_grow_with_rows(self):
        program = Program.objects.get(short_name="Byrne JAG")
        for added in (0, 40):
            if added:  # the write empties the stored figures: the next reader computes them
                f.make_many_letters(added, program, list(Condition.objects.all()), start=9000)
                stored.invalidate()  # make_many_letters writes in bulk, without signals
            with self.assertNumQueries(HOME_QUERIES_COMPUTING):
                self.assertEqual(self.client.get(reverse("dashboard:home")).status_code, 200)
            with self.assertNumQueries(HOME_QUERIES):
                self.assertEqual(self.client.get(reverse("dashboard:home")).status_code, 200)

    def test_no_page_references_another_host_for_scripts_styles_or_map_data(self):
        pages = ["/", "/letters/", "/jurisdictions/", "/jurisdictions/city-of-baltimore-md/", "/programs/psp/",
                 "/conditions/", "/conditions/jail_access/", "/timeline/", "/about/data/"]  # fmt: skip
        for url in pages:
            html = self.client.get(url).content.decode()
            # rel=canonical names the page itself (at SITE_ORIGIN), not a resource to load.
            html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html, count=1)
            with self.subTest(url=url):
                for attribute in re.findall(r'<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)="([^"]+)"', html):
                    self.assertTrue(attribute.startswith("/"), attribute)
                self.assertNotIn("cdn.plot.ly", html)
        home = self.client.get("/").content.decode()
        self.assertIn('data-topojson-url="/static/vendor/topojson/"', home)
        self.assertNotIn("<script>", home.replace(" ", ""))  # no inline script: CSP-safe
        # plotly.js is fetched by charts.js when a chart nears the viewport, never up front.
        self.assertIn('data-plotly-url="/static/vendor/plotly/plotly-custom.min.js"', home)
        scripts = re.findall(r"<script\b[^>]*\bsrc=[^>]*>", home)
        self.assertEqual(scripts, ['<script src="/static/js/charts.js" defer>'])

    def test_feeds(self):
        for url, expected in [("/feeds/letters/", 50), ("/feeds/events/", 50)]:
            feed = ElementTree.fromstring(self.client.get(url).content)
            self.assertEqual(len(feed.findall(f"{ATOM}entry")), expected)
        baltimore = Jurisdiction.objects.get(slug="city-of-baltimore-md")
        feed = ElementTree.fromstring(self.client.get(f"/feeds/jurisdictions/{baltimore.slug}/").content)
        titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
        expected = (
            Letter.objects.filter(recipient=baltimore).count() + Event.objects.filter(jurisdictions=baltimore).count()
        )
        self.assertEqual(len(titles), expected)
        self.assertIn("PSP letter to City of Baltimore", titles)
        self.assertContains(
            self.client.get(baltimore.get_absolute_url()), f'href="/feeds/jurisdictions/{baltimore.slug}/"'
        )


class ChartTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seed", stdout=StringIO())

    def test_letters_over_time(self):
        figure = charts.letters_over_time(selectors.letters_by_month())
        traces = {trace["name"]: dict(zip(trace["x"], trace["y"], strict=True)) for trace in figure["data"]}
        self.assertEqual(traces["PSP"], {"2017-08": 4})
        self.assertEqual(
            traces["Byrne JAG"]["2017-11"], Letter.objects.filter(sent_on__year=2017, sent_on__month=11).count()
        )
        self.assertEqual(figure["layout"]["barmode"], "stack")

    def test_demanded_vs_controlled(self):
        conditions = list(Condition.objects.all())
        figure = charts.demanded_vs_controlled(conditions, control_tally())
        codes = [condition.code for condition in conditions]
        by_status = {trace["name"]: dict(zip(codes, trace["x"], strict=True)) for trace in figure["data"]}
        self.assertEqual(by_status["Does not control"]["jail_access"], 4)
        # The axis names each condition in words, never by its code.
        labels = [label.replace("<br>", " ") for label in figure["data"][0]["y"]]
        self.assertEqual(labels, [condition.name for condition in conditions])
        self.assertFalse(any("_" in label for label in labels))
        self.assertEqual(
            by_status["Controls"]["section_1373_compliance"],
            Demand.objects.filter(condition__code="section_1373_compliance").count(),
        )

    def test_control_map_colours_states_by_their_recipients(self):
        figure = charts.control_map(selectors.targeted_jurisdictions())
        states = {trace["name"]: set(trace["locations"]) for trace in figure["data"]}
        self.assertIn("MD", states[ControlStatus.DOES_NOT_CONTROL.label])  # Baltimore: state-run jail
        self.assertIn("NM", states[ControlStatus.DOES_NOT_CONTROL.label])  # Albuquerque: Bernalillo County
        self.assertIn("CO", states[ControlStatus.CONTROLS.label])  # Denver runs its own jail
        all_states = set().union(*states.values())
        self.assertEqual(all_states, set(Letter.objects.values_list("recipient__state", flat=True)))
        self.assertEqual(figure["layout"]["geo"]["scope"], "usa")

    def test_state_status_priority(self):
        rows = [{"state": "CA", "jail_control": "controls"}, {"state": "CA", "jail_control": "shares"},
                {"state": "IL", "jail_control": "unknown"}]  # fmt: skip
        self.assertEqual(charts.state_status(rows)["CA"][0], ControlStatus.SHARES)
        self.assertEqual(charts.state_status(rows)["IL"][0], ControlStatus.UNKNOWN)


class HealthTests(TestCase):
    def test_healthz_answers_when_the_database_does(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "cache": "ok"})

    def test_about_data_documents_every_export_column(self):
        response = self.client.get("/about/data/")
        self.assertEqual(
            set(REGISTRY), {"letters", "jurisdictions", "timeline", "matrix", "list_entries", "published_lists"}
        )
        for export in REGISTRY.values():
            for column in export.columns:
                self.assertContains(response, f"<dt><code>{column.name}</code></dt>", html=True)
                self.assertContains(response, escape(column.description))


# The data version, the stored figures (dashboard.stored: one read), the latest events
# and their sources and jurisdictions. 19 when every request computed the figures.
HOME_QUERIES = 5
# The first reader after a write computes and stores them: the data version, the row, the
# rules' 15 queries, five to find the next day the calendar changes a figure, the store
# (a savepoint, the generation check, the update, the release) and the events (3); and
# the lists' facet counts with nothing chosen and the rows each paged list shows (+49:
# letters, matrix, jurisdictions and the timeline).
HOME_QUERIES_COMPUTING = 79
