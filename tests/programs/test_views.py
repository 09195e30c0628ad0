from django.test import TestCase
from django.urls import reverse

from programs.models import Award, ProgramCondition
from tests import factories as f


class ProgramAndConditionPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        county = f.make_jurisdiction("San Bernardino County", kind="county")
        city = f.make_jurisdiction("City of San Bernardino", parent=county)
        f.book(city, f.make_facility(county))
        f.book(county, county.operated_facilities.get())
        cls.psp = f.make_program("PSP", kind="technical_assistance", description="Technical help, no money.")
        cls.jail_access = f.make_condition("jail_access", legal_basis="FY2017 solicitation")
        cls.pc = ProgramCondition.objects.create(
            program=cls.psp, condition=cls.jail_access, requirement="eligibility", effective="2017"
        )
        cls.pc.sources.add(f.make_source())
        f.make_letter(city, cls.psp, [cls.jail_access])
        f.make_letter(county, cls.psp, [cls.jail_access])
        award = Award.objects.create(program=cls.psp, label="United States", fiscal_year=2017, what="appropriation")
        award.sources.add(f.make_source())
        cls.ruling = f.make_decision([cls.psp], [cls.jail_access], court="7th Cir.", precedent_circuit="7th")
        f.make_decision([cls.psp], [cls.jail_access], court="2nd Cir.", precedent_circuit="2nd", holding="upheld")

    def test_program_pages(self):
        response = self.client.get(reverse("programs:list"))
        self.assertContains(response, self.psp.get_absolute_url())
        response = self.client.get(self.psp.get_absolute_url())
        self.assertContains(response, "Technical help, no money.")
        self.assertContains(response, "Eligibility for new sites")
        self.assertContains(response, self.pc.sources.get().url)
        self.assertContains(response, "City of San Bernardino")
        data = self.client.get(self.psp.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(data["conditions"][0]["requirement"], "eligibility")
        self.assertEqual(data["letter_count"], 2)
        self.assertContains(response, "The money, by fiscal year")
        self.assertContains(response, "United States")

    def test_condition_pages_count_who_controls_it(self):
        response = self.client.get(reverse("programs:condition_list"))
        self.assertEqual(response.context["conditions"][0][1]["does_not_control"], 1)
        self.assertEqual(response.context["conditions"][0][1]["controls"], 1)
        response = self.client.get(self.jail_access.get_absolute_url())
        self.assertContains(response, "FY2017 solicitation")
        self.assertContains(response, "Held unlawful on appeal in the 7th Circuit.")
        self.assertContains(response, "Upheld on appeal in the 2nd Circuit.")
        self.assertContains(response, "The circuits split.")
        self.assertNotContains(response, "No court has ruled on this condition.")
        self.assertContains(response, self.ruling.case_name)
        data = self.client.get(self.jail_access.get_absolute_url(), {"format": "json"}).json()
        self.assertEqual(data["demands"], {"total": 2, "controls": 1, "shares": 0, "does_not_control": 1, "unknown": 0})

    def test_query_counts_do_not_grow(self):
        pages = [
            reverse("programs:list"),
            self.psp.get_absolute_url(),
            reverse("programs:condition_list"),
            self.jail_access.get_absolute_url(),
        ]
        expected = [
            3,
            15,
            4,
            16,
        ]  # the detail pages count all letters and show the newest 25 (+1: cite-this data version)
        for url, count in zip(pages, expected, strict=True):
            with self.assertNumQueries(count):
                self.client.get(url)
        f.make_many_letters(60, self.psp, [self.jail_access])
        shown = self.client.get(self.jail_access.get_absolute_url())
        self.assertEqual(len(shown.context["letters"]), 25)
        self.assertContains(shown, "See, filter and export all 62")
        for url, count in zip(pages, expected, strict=True):
            with self.subTest(url=url), self.assertNumQueries(count):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_unknown_condition_is_a_404(self):
        self.assertEqual(self.client.get("/conditions/nope/").status_code, 404)
