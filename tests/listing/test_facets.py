"""Facets on every list: several values per filter (OR within, AND across), a count per
value under the other filters, sortable headings, minimal permalinks, plain words."""

import datetime
import re
from collections import Counter

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse

from jurisdictions.filters import JurisdictionFilter
from jurisdictions.models import Jurisdiction
from letters.filters import LetterFilter
from letters.models import Event, Letter
from listing.facets import ChoiceFacet, count_by_date, grouped_count, repeats_rows
from tests import factories as f


def shown(response):
    return {row.pk for row in response.context["object_list"]}


def chips(response):
    return [(label, value) for label, value, _ in response.context["active_filters"]]


def options(response, name):
    return {option.value: option.count for option in response.context["facets_by_name"][name].options}


def assert_counts_are_fresh_counts(test, query, filterset_class, queryset):
    """Every option's count on the page at `query` is the number of rows the filters
    give with that option chosen in place of its facet's choices."""
    response = test.get(query)
    for facet in response.context["facets_by_name"].values():
        for option in facet.options:
            params = QueryDict(query, mutable=True)
            params.setlist(facet.name, [option.value])
            fresh = filterset_class(params, queryset=queryset).qs.count()
            with test.subTest(query=query, facet=facet.name, value=option.value):
                test.assertEqual(option.count, fresh)
    return response


class FacetData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.jag = f.make_program("Byrne JAG")
        cls.psp = f.make_program("PSP", kind="technical_assistance")
        cls.jail_access = f.make_condition("jail_access")
        cls.detainer = f.make_condition("detainer_48h", name="Hold up to 48 hours past release (detainer)")
        cls.batch = f.make_batch("B2017-08-03_PSP", label="Public Safety Partnership letters of Aug 3, 2017")
        cls.oakland = f.make_jurisdiction("City of Oakland", state="CA")
        cls.chicago = f.make_jurisdiction("City of Chicago", state="IL")
        cls.cook = f.make_jurisdiction("Cook County", state="IL", kind="county")
        cls.austin = f.make_jurisdiction("City of Austin", state="TX")
        # Chicago's arrestees go to Cook County's jail: Chicago does not control it.
        f.book(cls.chicago, f.make_facility(cls.cook))
        cls.oakland_letter = f.make_letter(cls.oakland, cls.jag, [cls.jail_access], sent_on=datetime.date(2017, 11, 15),
                                           deadline=datetime.date(2017, 12, 8))  # fmt: skip
        cls.chicago_letter = f.make_letter(cls.chicago, cls.psp, [cls.jail_access, cls.detainer], batch=cls.batch)
        cls.undated = f.make_letter(cls.austin, cls.jag, [cls.detainer], sent_on=None, deadline=None)
        cls.cook_letter = f.make_letter(cls.cook, cls.jag, [], sent_on=datetime.date(2018, 1, 24),
                                        deadline=datetime.date(2018, 2, 23))  # fmt: skip


class JurisdictionFacetTests(FacetData):
    url = reverse("jurisdictions:list")

    def get(self, query):
        response = self.client.get(f"{self.url}?{query}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_two_states_are_or_ed_and_both_show_as_removable_chips(self):
        response = self.get("state=CA&state=IL")
        self.assertEqual(shown(response), {self.oakland.pk, self.chicago.pk, self.cook.pk})
        self.assertEqual(chips(response), [("State", "California"), ("State", "Illinois")])
        removals = {(label, value): url for label, value, url in response.context["active_filters"]}
        self.assertEqual(removals[("State", "California")], "?state=IL")
        self.assertEqual(removals[("State", "Illinois")], "?state=CA")

    def test_different_filters_are_and_ed(self):
        self.assertEqual(shown(self.get("state=CA&state=IL&kind=county")), {self.cook.pk})
        self.assertEqual(shown(self.get("state=IL&program=psp&program=byrne-jag")), {self.chicago.pk, self.cook.pk})

    def test_does_not_control_or_unknown(self):
        # Chicago does not control its demanded jail condition; Oakland has no booking (unknown).
        self.assertEqual(shown(self.get("control=does_not_control")), {self.chicago.pk})
        either = self.get("control=does_not_control&control=unknown")
        self.assertEqual(shown(either), {self.chicago.pk, self.oakland.pk, self.austin.pk})

    def assert_counts_are_fresh_counts(self, query):
        return assert_counts_are_fresh_counts(self, query, JurisdictionFilter, Jurisdiction.objects.for_list())

    def test_each_count_equals_a_fresh_count_under_the_other_filters(self):
        query = "kind=city&state=CA&state=IL"
        response = self.assert_counts_are_fresh_counts(query)
        self.assertEqual(options(response, "state"), {"CA": 1, "IL": 1, "TX": 1})  # cities per state
        self.assertEqual(options(response, "kind"), {"city": 2, "county": 1})
        self.assertContains(response, "Illinois")
        self.assertContains(response, '<span class="count">(1)</span>', html=False)

    def test_counts_equal_fresh_counts_under_other_choices(self):
        for query in ("", "q=o", "program=byrne-jag", "state=IL", "circuit=7th", "kind=county&control=unknown"):
            self.assert_counts_are_fresh_counts(query)
        every_kind = Counter(Jurisdiction.objects.values_list("kind", flat=True))
        self.assertEqual(options(self.get(""), "kind"), dict(every_kind))

    def test_invalid_values_are_a_form_message(self):
        for query in ("state=XX", "state=CA&state=nowhere", "program=nothing", "control=maybe", "kind="):
            with self.subTest(query=query):
                response = self.client.get(f"{self.url}?{query}", follow=True)
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.get("state=XX"), "Some filters could not be applied")
        self.assertEqual(self.client.get(f"{self.url}?state=XX&format=csv").status_code, 400)

    def test_sortable_headings_with_aria_sort(self):
        response = self.get("state=IL&sort=name")
        self.assertEqual([j.pk for j in response.context["object_list"]], [self.chicago.pk, self.cook.pk])
        html = response.content.decode()
        self.assertRegex(html, r'<th scope="col"\s+aria-sort="ascending">\s*<a href="\?state=IL&amp;sort=-name"')
        self.assertIn('href="?state=IL&amp;sort=kind"', html)
        self.assertEqual(html.count("aria-sort="), 1)
        descending = self.get("state=IL&sort=-name")
        self.assertEqual([j.pk for j in descending.context["object_list"]], [self.cook.pk, self.chicago.pk])
        self.assertIn('aria-sort="descending"', descending.content.decode())

    def test_permalinks_carry_only_what_is_set_in_a_stable_order(self):
        response = self.client.get(f"{self.url}?q=&kind=city&state=IL&state=CA&state=&program=&sort=")
        self.assertRedirects(response, f"{self.url}?state=CA&state=IL&kind=city", fetch_redirect_response=False)
        page = self.get("kind=city&state=IL&state=CA")
        self.assertEqual(page.context["permalink"], "?state=CA&state=IL&kind=city")
        self.assertContains(page, 'href="?state=CA&amp;state=IL&amp;kind=city" rel="bookmark"')
        self.assertRedirects(self.client.get(f"{self.url}?q=&state="), self.url, fetch_redirect_response=False)
        # unknown parameters survive the redirect so the page can say they were ignored
        redirect = self.client.get(f"{self.url}?state=&colour=red")
        self.assertEqual(redirect["Location"], "?colour=red")


class LetterFacetTests(FacetData):
    url = reverse("letters:list")

    def get(self, query):
        response = self.client.get(f"{self.url}?{query}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_multi_value_filters_or_within_and_across(self):
        both_states = self.get("state=CA&state=IL")
        self.assertEqual(shown(both_states), {self.oakland_letter.pk, self.chicago_letter.pk, self.cook_letter.pk})
        self.assertEqual(shown(self.get("state=CA&state=IL&program=psp")), {self.chicago_letter.pk})
        self.assertEqual(
            shown(self.get("condition=detainer_48h&condition=jail_access")),
            {self.oakland_letter.pk, self.chicago_letter.pk, self.undated.pk},
        )
        self.assertEqual(
            shown(self.get("recipient=city-of-oakland-ca&recipient=cook-county-il")),
            {self.oakland_letter.pk, self.cook_letter.pk},
        )

    def test_year_and_month_facets(self):
        self.assertEqual(shown(self.get("year=2017")), {self.oakland_letter.pk, self.chicago_letter.pk})
        self.assertEqual(shown(self.get("month=2017-11&month=2018-01")), {self.oakland_letter.pk, self.cook_letter.pk})
        response = self.get("year=2017&month=2017-08")
        self.assertEqual(shown(response), {self.chicago_letter.pk})
        self.assertEqual(options(response, "year"), {"2017": 1})  # the month is chosen: only 2017 has August
        self.assertEqual(options(response, "month"), {"2017-11": 1, "2017-08": 1})
        self.assertEqual(chips(response), [("Year sent", "2017"), ("Month sent", "August 2017")])
        for query in ("year=17", "month=2017-13", "month=August"):
            with self.subTest(query=query):
                self.assertContains(self.get(query), "Some filters could not be applied")

    def test_counts_equal_fresh_counts(self):
        # With two conditions chosen the rows are DISTINCT over the demands: the facets
        # otherwise counted together (`counted_together`) are then counted apart.
        queries = ("program=byrne-jag&year=2017&year=2018", "", "condition=detainer_48h&condition=jail_access")
        for query in queries:
            assert_counts_are_fresh_counts(self, query, LetterFilter, Letter.objects.for_list())

    def test_undated_letters_sort_last_both_ways(self):
        for sort in ("sent", "-sent", "deadline", "-deadline"):
            with self.subTest(sort=sort):
                rows = list(self.get(f"sort={sort}").context["object_list"])
                self.assertEqual(rows[-1].pk, self.undated.pk)
        self.assertEqual(
            [letter.pk for letter in self.get("sort=sent").context["object_list"]],
            [self.chicago_letter.pk, self.oakland_letter.pk, self.cook_letter.pk, self.undated.pk],
        )

    def test_plain_words_in_table_chips_and_facets_never_codes(self):
        response = self.get("condition=detainer_48h&batch=B2017-08-03_PSP&status=deadline_passed&state=IL")
        self.assertEqual(
            chips(response),
            [
                ("Condition demanded", "Hold up to 48 hours past release (detainer)"),
                ("Recipient state", "Illinois"),
                ("Status", "No response found by the deadline"),
                ("Sent in the batch", "Public Safety Partnership letters of Aug 3, 2017"),
            ],
        )
        visible = re.sub(r"<[^>]+>", " ", response.content.decode())  # the text, without tags or attributes
        for code in ("detainer_48h", "B2017-08-03_PSP", "deadline_passed", "jail_access", "does_not_control"):
            self.assertNotIn(code, visible)

    def test_constant_queries_with_several_values_per_filter(self):
        query = {"state": ["CA", "IL"], "year": ["2017", "2018"], "control": ["does_not_control", "unknown"]}
        with self.assertNumQueries(MULTI_VALUE_LETTER_QUERIES):
            self.client.get(self.url, query)
        f.make_many_letters(60, self.jag, [self.jail_access], start=3000)
        with self.assertNumQueries(MULTI_VALUE_LETTER_QUERIES):
            response = self.client.get(self.url, query)
        self.assertEqual(response.status_code, 200)


# The letter list's budget (tests/letters/test_views.py); several values per filter add nothing.
MULTI_VALUE_LETTER_QUERIES = 16


class CountedTogetherTests(FacetData):
    def test_a_facet_with_its_own_count_cannot_be_counted_with_others(self):
        class Misdeclared(JurisdictionFilter):
            counted_together = ("state", "circuit")  # circuit is counted from the states

        facets = Misdeclared({}, queryset=Jurisdiction.objects.for_list())
        with self.assertRaises(ImproperlyConfigured):
            facets.facet_counts("state")

    def test_only_a_model_facet_counts_by_primary_key(self):
        with self.assertRaises(ImproperlyConfigured):
            ChoiceFacet(choices=[("a", "A")], counts_by_pk=True)


class TimelineFacetTests(FacetData):
    url = reverse("letters:timeline")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ruling = f.make_event([cls.chicago], occurred_on=datetime.date(2017, 11, 20), title="Chicago injunction")
        cls.ruling.programs.add(cls.jag)
        cls.policy = f.make_event([cls.oakland], occurred_on=datetime.date(2018, 1, 2), title="Oakland policy",
                                  kind=Event.Kind.POLICY_CHANGE)  # fmt: skip
        f.make_response(cls.chicago_letter, responded_on=datetime.date(2017, 8, 17), responder="Chicago police")

    def titles(self, query):
        response = self.client.get(f"{self.url}?{query}")
        self.assertEqual(response.status_code, 200)
        return [entry["entry_title"] for entry in response.context["object_list"]], response

    def test_month_year_and_date_range(self):
        titles, response = self.titles("month=2017-11")
        self.assertEqual(titles, ["Chicago injunction", "Byrne JAG letter to City of Oakland"])
        self.assertEqual(chips(response), [("Month", "November 2017")])
        self.assertEqual(self.titles("year=2018")[0], ["Byrne JAG letter to Cook County", "Oakland policy"])
        titles, _ = self.titles("since=2017-11-16&until=2018-01-02")
        self.assertEqual(titles, ["Oakland policy", "Chicago injunction"])
        _, backwards = self.titles("since=2018-01-01&until=2017-01-01")
        self.assertContains(backwards, "The end of the date range is before its start.")

    def test_several_kinds_programs_and_jurisdictions(self):
        titles, _ = self.titles("kind=court_ruling&kind=letter_response")
        self.assertEqual(titles, ["Chicago injunction", "Chicago police responds to DOJ"])
        titles, _ = self.titles("jurisdiction=city-of-chicago-il&jurisdiction=city-of-oakland-ca&kind=letter")
        self.assertEqual(titles, ["Byrne JAG letter to City of Oakland", "PSP letter to City of Chicago"])
        titles, _ = self.titles("program=psp&program=byrne-jag&year=2017&kind=letter&kind=court_ruling")
        self.assertEqual(
            titles, ["Chicago injunction", "Byrne JAG letter to City of Oakland", "PSP letter to City of Chicago"]
        )

    def test_counts_and_words(self):
        _, response = self.titles("year=2017")
        self.assertEqual(options(response, "kind"), {"letter": 2, "letter_response": 1, "court_ruling": 1})
        self.assertEqual(options(response, "year"), {"2017": 4, "2018": 2})
        self.assertEqual(options(response, "month"), {"2017-08": 2, "2017-11": 2})
        self.assertEqual(options(response, "program"), {"byrne-jag": 2, "psp": 2})
        self.assertContains(response, "<strong>4</strong> entries")
        self.assertContains(response, '<label for="id_jurisdiction">Jurisdiction:</label>', html=True)
        self.assertContains(response, '<option value="city-of-chicago-il">City of Chicago, IL</option>', html=True)
        one = self.titles("kind=policy_change")[1]
        self.assertContains(one, "<strong>1</strong> entry")

    def test_bad_values_are_messages_and_the_address_stays_tidy(self):
        for query, message in (
            ("kind=bogus", "Select a valid choice"),
            ("jurisdiction=atlantis", "No jurisdiction has this slug."),
            ("year=20x7", "is not a year such as 2017"),
            ("since=yesterday", "Enter a valid date"),
        ):
            with self.subTest(query=query):
                self.assertContains(self.client.get(f"{self.url}?{query}"), message)
        redirect = self.client.get(f"{self.url}?jurisdiction=&program=&kind=letter&since=&month=2017-11&kind=letter")
        self.assertEqual(redirect["Location"], "?kind=letter&month=2017-11")

    def test_queries_do_not_grow_with_several_values(self):
        query = "kind=letter&kind=court_ruling&year=2017&year=2018&program=psp&program=byrne-jag"
        with self.assertNumQueries(TIMELINE_QUERIES):
            self.client.get(f"{self.url}?{query}")
        f.make_many_letters(40, self.jag, [self.jail_access], start=4000)
        with self.assertNumQueries(TIMELINE_QUERIES):
            self.assertEqual(self.client.get(f"{self.url}?{query}").status_code, 200)


# version, a count per part (letters and events here), page, the picker's names, the
# program facet's names (twice: choices and chips), one source query per kind on the
# page, and each facet's grouped counts over the parts the chosen kinds include (letters
# and events here, not responses)
TIMELINE_QUERIES = 18


class NamePickerTests(FacetData):
    """The recipient picker lists every name up to its limit, and beyond it only the
    chosen ones (issue 15: 20,000 options took seconds to render)."""

    def picker_values(self, query, limit):
        form = LetterFilter(QueryDict(query), queryset=Letter.objects.all()).form
        form.fields["recipient"].widget.max_options = limit
        html = str(form["recipient"])
        return re.findall(r'<option value="([^"]*)"', html)

    def test_every_name_is_listed_up_to_the_limit(self):
        everyone = list(Jurisdiction.objects.order_by("name", "state").values_list("slug", flat=True))
        self.assertEqual(self.picker_values("", limit=len(everyone)), ["", *everyone])

    def test_beyond_the_limit_only_the_chosen_names_are_listed_and_still_filter(self):
        self.assertEqual(self.picker_values("", limit=2), [""])
        self.assertEqual(self.picker_values(f"recipient={self.chicago.slug}", limit=2), ["", self.chicago.slug])
        response = self.client.get(reverse("letters:list"), {"recipient": self.chicago.slug})
        self.assertEqual(shown(response), {self.chicago_letter.pk})


class PlainCountTests(FacetData):
    """Facet counts use COUNT(*) where no row can repeat (issue 15); they must equal
    COUNT(DISTINCT pk) everywhere, and keep DISTINCT where a row can repeat."""

    def distinct_count(self, queryset, path):
        rows = queryset.order_by().values_list(path).annotate(n=Count("pk", distinct=True))
        return {str(value): n for value, n in rows if value is not None}

    def test_plain_and_distinct_counts_agree(self):
        letters = Letter.objects.all()
        with_condition = LetterFilter(QueryDict("condition=jail_access&condition=detainer_48h"), queryset=letters).qs
        cases = [
            (letters, "program__slug", False),
            (letters, "recipient__state", False),
            (letters, "conditions__code", True),  # through demands
            (with_condition, "program__slug", True),  # the condition filter's DISTINCT
            (Jurisdiction.objects.all(), "kind", False),
            (Jurisdiction.objects.with_jail_control_joined(), "jail_control_joined", True),  # an annotation
        ]
        for queryset, path, repeats in cases:
            with self.subTest(path=path, distinct=queryset.query.distinct):
                self.assertEqual(repeats_rows(queryset, path), repeats)
                self.assertEqual(grouped_count(path)(queryset), self.distinct_count(queryset, path))
        self.assertEqual(grouped_count("program__slug")(with_condition), {"byrne-jag": 2, "psp": 1})
        by_month = count_by_date(letters, "sent_on", "month")
        self.assertEqual(sum(by_month.values()), letters.exclude(sent_on=None).count())
