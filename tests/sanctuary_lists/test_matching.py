from django.test import TestCase

from jurisdictions.models import Jurisdiction
from sanctuary_lists.matching import Matcher, Outcome, Why, normalise
from sanctuary_lists.models import JurisdictionAlias
from tests import factories as f

STATE, COUNTY, CITY, CONSOLIDATED = (
    Jurisdiction.Kind.STATE,
    Jurisdiction.Kind.COUNTY,
    Jurisdiction.Kind.CITY,
    Jurisdiction.Kind.CONSOLIDATED,
)


class NormaliseTests(TestCase):
    def test_real_variants_normalise_alike(self):
        self.assertEqual(normalise("City of New York"), normalise("New York City"))
        self.assertEqual(normalise("San Francisco County"), normalise("City and County of San Francisco"))
        self.assertEqual(normalise("City of Denver"), normalise("City and County of Denver"))
        self.assertEqual(normalise("District of Columbia"), "district of columbia")
        self.assertNotEqual(normalise("Baltimore County"), normalise("East Baltimore"))


class MatcherTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.california = f.make_jurisdiction("State of California", kind=STATE, state="CA")
        cls.ny_state = f.make_jurisdiction("State of New York", kind=STATE, state="NY")
        cls.nyc = f.make_jurisdiction("City of New York", kind=CONSOLIDATED, state="NY")
        cls.sf = f.make_jurisdiction("City and County of San Francisco", kind=CONSOLIDATED, state="CA")
        cls.denver = f.make_jurisdiction("City and County of Denver", kind=CONSOLIDATED, state="CO")
        cls.dc = f.make_jurisdiction("District of Columbia", kind=CONSOLIDATED, state="DC")
        # a city and a county of the same name in one state
        cls.la_city = f.make_jurisdiction("City of Los Angeles", kind=CITY, state="CA")
        cls.la_county = f.make_jurisdiction("Los Angeles County", kind=COUNTY, state="CA", parent=cls.california)
        # one name in two states
        cls.essex_ma = f.make_jurisdiction("Essex County", kind=COUNTY, state="MA")
        cls.essex_nj = f.make_jurisdiction("Essex County", kind=COUNTY, state="NJ")

    def setUp(self):
        self.matcher = Matcher()

    def assertMatched(self, match, jurisdiction, why):
        self.assertEqual((match.outcome, match.jurisdiction, match.why), (Outcome.MATCHED, jurisdiction, why))

    def test_the_issue_s_variants(self):
        self.assertMatched(self.matcher.match("City of New York", CITY, "NY"), self.nyc, Why.EXACT)
        self.assertMatched(self.matcher.match("New York City", CITY, "NY"), self.nyc, Why.NORMALISED)
        self.assertMatched(self.matcher.match("San Francisco County", COUNTY, "CA"), self.sf, Why.NORMALISED)
        self.assertMatched(self.matcher.match("City of Denver", CITY, "CO"), self.denver, Why.NORMALISED)
        self.assertMatched(self.matcher.match("District of Columbia", STATE, "DC"), self.dc, Why.EXACT)
        # "New York" the state is the state, not the consolidated city
        self.assertMatched(self.matcher.match("New York", STATE, "NY"), self.ny_state, Why.NORMALISED)

    def test_city_and_county_of_one_name_in_one_state(self):
        self.assertMatched(self.matcher.match("Los Angeles", CITY, "CA"), self.la_city, Why.NORMALISED)
        self.assertMatched(self.matcher.match("Los Angeles County", COUNTY, "CA"), self.la_county, Why.EXACT)
        ambiguous = self.matcher.match("Los Angeles", CONSOLIDATED, "CA")
        self.assertEqual(ambiguous.outcome, Outcome.AMBIGUOUS)
        self.assertEqual(set(ambiguous.candidates), {self.la_city, self.la_county})

    def test_a_name_in_two_states(self):
        self.assertMatched(self.matcher.match("Essex County", COUNTY, "NJ"), self.essex_nj, Why.EXACT)
        without_state = self.matcher.match("Essex County", COUNTY, "")
        self.assertEqual(without_state.outcome, Outcome.AMBIGUOUS)
        self.assertEqual(set(without_state.candidates), {self.essex_ma, self.essex_nj})

    def test_alias_then_confirmed(self):
        JurisdictionAlias.objects.create(jurisdiction=self.sf, alias="SF", state="CA")
        self.assertMatched(Matcher().match("SF", CITY, "CA"), self.sf, Why.ALIAS)
        self.assertMatched(self.matcher.match("Frisco", CITY, "CA", self.sf.slug), self.sf, Why.CONFIRMED)
        self.assertEqual(self.matcher.match("Frisco", CITY, "CA", "atlantis").outcome, Outcome.INVALID)

    def test_new_jurisdictions_get_kind_state_and_derivable_parent(self):
        county = self.matcher.match("San Diego County", COUNTY, "CA")
        self.assertEqual(county.outcome, Outcome.NEW)
        self.assertEqual((county.new.name, county.new.parent), ("San Diego County", self.california))
        city = self.matcher.match("Boston", CITY, "MA")
        self.assertEqual(
            (city.new.name, city.new.kind, city.new.state, city.new.parent), ("City of Boston", CITY, "MA", None)
        )
        self.assertEqual(self.matcher.match("Delaware", STATE, "DE").new.name, "State of Delaware")
        self.assertEqual(self.matcher.match("Boston", CITY, "").outcome, Outcome.INVALID)
