import re
from html.parser import HTMLParser

from django.test import TestCase
from django.urls import reverse

from compliance.verdicts import CourtVerdict, LawVerdict
from dashboard import glossary
from jurisdictions.control import ControlStatus
from jurisdictions.models import BookingStage
from letters.models import LetterStatus
from sources.models import Sourcing
from tests import factories as f

GLOSSARY = reverse("dashboard:glossary")
CHOICES = {
    "booking-stage": BookingStage,
    "control": ControlStatus,
    "law-verdict": LawVerdict,
    "court-verdict": CourtVerdict,
    "letter-status": LetterStatus,
    "partly-sourced": Sourcing,
}
LEGAL_TERMS = ["psp", "byrne-jag", "jail-access", "release-notice", "detainer", "section-1373", "documents"]


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = []

    def handle_starttag(self, tag, attrs):
        self.ids += [(tag, value) for name, value in attrs if name == "id"]


def ids_in(html):
    parser = Ids()
    parser.feed(html)
    return parser.ids


class GlossaryPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.condition = f.make_condition("detainer_48h", name="Hold up to 48 hours (detainer)")

    def test_every_term_is_a_dt_with_its_anchor_in_a_dl(self):
        response = self.client.get(GLOSSARY)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<title>Glossary")
        self.assertContains(response, '<li aria-current="page">Glossary</li>', html=True)
        html = response.content.decode()
        self.assertIn('<dl class="glossary">', html)
        ids = ids_in(html)
        for term in glossary.TERMS:
            with self.subTest(term.anchor):
                self.assertIn(("dt", term.anchor), ids)
                self.assertIn(f'href="#{term.anchor}"', html)
        self.assertEqual(len(ids), len(set(ids)), "anchors are unique")

    def test_codes_come_from_the_models_choices_with_an_explanation_each(self):
        response = self.client.get(GLOSSARY)
        for anchor, choices in CHOICES.items():
            term = glossary.BY_ANCHOR[anchor]
            with self.subTest(anchor):
                self.assertEqual([code.value for code in term.codes], list(choices.values))
                self.assertEqual([code.label for code in term.codes], list(choices.labels))
                for code in term.codes:
                    self.assertTrue(code.explanation)
                    self.assertContains(response, f"<code>{code.value}</code>", html=True)
        self.assertContains(response, ControlStatus.DOES_NOT_CONTROL.label)

    def test_terms_about_law_and_programs_cite_a_public_page(self):
        response = self.client.get(GLOSSARY)
        for anchor in LEGAL_TERMS:
            term = glossary.BY_ANCHOR[anchor]
            with self.subTest(anchor):
                self.assertTrue(term.sources)
                for source in term.sources:
                    self.assertRegex(source.url, r"^https?://")
                    self.assertContains(response, f'href="{source.url}"')

    def test_a_condition_in_the_data_links_its_page_and_others_do_not(self):
        response = self.client.get(GLOSSARY)
        self.assertContains(response, f'href="{self.condition.get_absolute_url()}"')
        self.assertNotContains(response, reverse("programs:condition_detail", args=["jail_access"]))

    def test_query_count_does_not_grow_with_conditions(self):
        self.client.get(GLOSSARY)
        with self.assertNumQueries(2):  # the data version (page cache) and the condition codes
            self.client.get(GLOSSARY, {"nocache": 1})
        for code in ("jail_access", "release_notice_48h", "section_1373_compliance"):
            f.make_condition(code)
        with self.assertNumQueries(2):  # the data version (page cache) and the condition codes
            self.client.get(GLOSSARY, {"nocache": 2})


class GlossaryLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.conditions = [f.make_condition(code) for code in glossary.BY_CONDITION]

    def test_footer_links_it(self):
        self.assertContains(self.client.get("/"), f'href="{GLOSSARY}"')

    def test_each_condition_on_the_list_and_its_page_links_its_term(self):
        listing = self.client.get(reverse("programs:condition_list"))
        for condition in self.conditions:
            anchor = glossary.BY_CONDITION[condition.code].anchor
            with self.subTest(condition.code):
                self.assertContains(listing, f'href="{GLOSSARY}#{anchor}"')
                self.assertContains(self.client.get(condition.get_absolute_url()), f'href="{GLOSSARY}#{anchor}"')

    def test_about_data_and_matrix_link_the_control_terms(self):
        for url in (reverse("dashboard:about_data"), reverse("compliance:matrix")):
            with self.subTest(url):
                html = self.client.get(url).content.decode()
                self.assertIn(f'href="{GLOSSARY}#control"', html)
                self.assertIn(f'href="{GLOSSARY}#runs-the-jail"', html)

    def test_every_link_to_the_glossary_names_an_existing_term(self):
        page = self.client.get(GLOSSARY).content.decode()
        anchors = {value for _, value in ids_in(page)}
        pages = ["/", reverse("dashboard:about_data"), reverse("compliance:matrix"), reverse("programs:condition_list")]
        for url in pages:
            html = self.client.get(url).content.decode()
            for anchor in re.findall(re.escape(GLOSSARY) + r"#([\w-]+)", html):
                self.assertIn(anchor, anchors, url)
