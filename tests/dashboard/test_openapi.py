"""The OpenAPI document at /api/openapi.json: generated from the lists' own forms and
exports, served with CORS, and checked by schemathesis against the running site."""

import datetime
import json

import jsonschema
import requests
import schemathesis
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import LiveServerTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from compliance.filters import MatrixFilter
from jurisdictions.filters import JurisdictionFilter
from letters.filters import LetterFilter, TimelineForm
from listing.exports import get_export
from tests import factories as f

LISTS = {
    "/letters/": (LetterFilter, "letters"),
    "/jurisdictions/": (JurisdictionFilter, "jurisdictions"),
    "/matrix/": (MatrixFilter, "matrix"),
    "/timeline/": (None, "timeline"),
}
DETAILS = ["/jurisdictions/{slug}/", "/letters/{id}/", "/events/{id}/", "/programs/{slug}/", "/conditions/{code}/"]


def make_records():
    county = f.make_jurisdiction("San Joaquin County", kind="county")
    city = f.make_jurisdiction("City of Stockton", parent=county)
    f.book(city, f.make_facility(county))
    program = f.make_program("PSP", kind="technical_assistance")
    f.make_letter(city, program, [f.make_condition("jail_access")], notes="=HYPERLINK(1)")
    f.make_event([city], title="Stockton answers DOJ")
    f.make_entry(f.make_list(), city)


def resolved(document, schema):
    """The schema, or the component it refers to."""
    if "$ref" in schema:
        return document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def rooted(document, schema):
    """The schema with the document's components beside it, so its $refs resolve."""
    return {**schema, "components": document["components"]}


class DocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_records()

    def setUp(self):
        response = self.client.get(reverse("dashboard:openapi"))
        self.assertEqual(response.status_code, 200)
        self.document = response.json()

    def test_is_openapi_3_1_with_every_list_and_record(self):
        self.assertEqual(self.document["openapi"], "3.1.0")
        self.assertEqual(set(self.document["paths"]), {*LISTS, "/lists/", "/lists/{slug}/", *DETAILS, "/search/"})

    def test_list_parameters_are_the_filter_forms_fields(self):
        for path, (filterset, _) in LISTS.items():
            form = filterset().form if filterset else TimelineForm()
            names = {p["name"] for p in self.document["paths"][path]["get"]["parameters"]}
            with self.subTest(path=path):
                self.assertEqual(names - {"format", "as_of"}, set(form.fields))

    def test_multi_value_facets_are_exploded_arrays_with_enums(self):
        parameters = {p["name"]: p for p in self.document["paths"]["/letters/"]["get"]["parameters"]}
        state = parameters["state"]
        self.assertEqual((state["style"], state["explode"], state["schema"]["type"]), ("form", True, "array"))
        self.assertIn("CA", state["schema"]["items"]["enum"])
        self.assertEqual(parameters["program"]["schema"]["items"]["enum"], ["psp"])  # from the data
        self.assertEqual(parameters["sent_after"]["schema"], {"type": "string", "format": "date"})
        self.assertEqual(parameters["format"]["schema"]["enum"], ["json", "csv"])
        self.assertNotIn("explode", parameters["q"])

    def test_response_schemas_list_the_exports_columns_and_the_error(self):
        for path, (_, export) in LISTS.items():
            get = self.document["paths"][path]["get"]
            record = resolved(
                self.document,
                get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["results"]["items"],
            )
            with self.subTest(path=path):
                self.assertEqual(list(record["properties"]), [c.name for c in get_export(export).json_columns])
                self.assertIn("text/csv", get["responses"]["200"]["content"])
                self.assertEqual(set(get["responses"]) >= {"400", "429"}, True)
        self.assertEqual(self.document["components"]["schemas"]["Error"]["required"], ["error"])

    def test_the_record_schemas_name_exactly_the_fields_of_real_records(self):
        slug = "doj-2025-08-05"
        for path, url in [
            *((path, path) for path in LISTS),
            ("/lists/", "/lists/"),
            ("/lists/{slug}/", f"/lists/{slug}/"),
        ]:
            get = self.document["paths"][path]["get"]
            record = resolved(
                self.document,
                get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["results"]["items"],
            )
            response = self.client.get(url + "?format=json")
            results = json.loads(b"".join(response.streaming_content))["results"]
            with self.subTest(path=path):
                self.assertTrue(results)
                for result in results:
                    self.assertEqual(set(result), set(record["properties"]))
                    self.assertEqual(set(result), set(record["required"]))

    def test_search_is_described_and_its_hits_match(self):
        get = self.document["paths"]["/search/"]["get"]
        parameters = {p["name"]: p for p in get["parameters"]}
        self.assertEqual(parameters["kind"]["schema"]["items"]["enum"], ["letter", "response", "event", "jurisdiction"])
        self.assertEqual(parameters["format"]["schema"]["enum"], ["json"])
        hit = get["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["results"]["items"]
        results = self.client.get("/search/", {"q": "Stockton", "format": "json"}).json()["results"]
        self.assertTrue(results)
        for result in results:
            self.assertEqual(set(result), set(hit["required"]))
            self.assertIn(result["kind"], hit["properties"]["kind"]["enum"])
        response = self.client.get("/search/", {"q": "Stockton", "format": "xml"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "Unknown format 'xml'; search takes format=json.")

    def test_queries_do_not_grow_with_rows(self):
        with CaptureQueriesContext(connection) as few:
            self.client.get(reverse("dashboard:openapi"))
        for number in range(5):
            f.make_condition(f"condition_{number}")
            f.make_program(f"Program {number}")
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(reverse("dashboard:openapi"))

    def test_only_addresses_with_a_slug_can_be_not_found(self):
        self.assertNotIn("404", self.document["paths"]["/letters/"]["get"]["responses"])
        self.assertIn("404", self.document["paths"]["/lists/{slug}/"]["get"]["responses"])

    def test_a_record_page_refuses_an_unknown_format_as_the_lists_do(self):
        letter = f.Letter.objects.get()
        response = self.client.get(f"/letters/{letter.pk}/?format=xml")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "Unknown format 'xml'; record pages take format=json.")
        self.assertEqual(self.client.get(f"/letters/{letter.pk}/?format=html").status_code, 200)

    def test_linked_from_the_api_page(self):
        self.assertContains(self.client.get(reverse("dashboard:about_api")), f'href="{reverse("dashboard:openapi")}"')


class CorsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_records()

    def test_public_data_may_be_read_from_any_origin(self):
        letter = f.Letter.objects.get()
        for url in (
            "/letters/?format=json",
            "/letters/?format=csv",
            "/matrix/?format=csv",
            "/letters/?format=json&sent_after=nonsense",  # the 400's JSON too
            f"/letters/{letter.pk}/?format=json",
            reverse("dashboard:openapi"),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).get("Access-Control-Allow-Origin"), "*")

    def test_never_on_pages_or_the_admin(self):
        letter = f.Letter.objects.get()
        for url in ("/letters/", f"/letters/{letter.pk}/", reverse("dashboard:about_api"), reverse("admin:index")):
            with self.subTest(url=url):
                self.assertNotIn("Access-Control-Allow-Origin", self.client.get(url))
        admin = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
        self.client.force_login(admin)
        self.assertNotIn("Access-Control-Allow-Origin", self.client.get("/letters/?format=json"))


class SchemathesisTests(LiveServerTestCase):
    """Every operation of the published document, with generated valid and invalid
    inputs, against the running site: no 500, only documented status codes, and
    bodies that match the response schemas."""

    CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    def setUp(self):
        make_records()

    def test_every_operation_holds_to_the_document(self):
        # One session, closed before the live server stops: no keep-alive connection
        # is left for the server to close after the test database is gone.
        session = requests.Session()
        self.addCleanup(session.close)
        document = session.get(self.live_server_url + reverse("dashboard:openapi"), timeout=10).json()
        schema = schemathesis.openapi.from_dict(document)
        operations = [result.ok() for result in schema.get_all_operations()]
        self.assertEqual(len(operations), 12)
        for operation in operations:
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                with self.subTest(operation=operation.label, mode=mode.value):
                    self.exercise(operation, mode, session)

    def exercise(self, operation, mode, session):
        @settings(
            max_examples=12,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode))
        def check(case):
            case.call_and_validate(base_url=self.live_server_url, session=session, checks=self.CHECKS)

        check()


class RecordSchemaTests(TestCase):
    """Each list's declared record schema (types, nested shapes, no undeclared field)
    holds for records with every nested part filled in: responses, awards, laws,
    court orders and their coverage, published lists."""

    @classmethod
    def setUpTestData(cls):
        make_records()
        letter = f.Letter.objects.get()
        city, state = letter.recipient, f.make_jurisdiction("State of California", kind="state", state="CA")
        city.parent = state
        city.save()
        condition = letter.demands.get().condition
        f.make_response(letter)
        f.make_measure(state, [condition], effective_on=datetime.date(2014, 1, 1))
        f.make_measure(city, [condition], effect="requires", effective_on=None, enacted_on=None)
        f.make_decision([letter.program], [condition], [city], fiscal_years=[2017, 2018])
        letter.program.awards.create(jurisdiction=city, fiscal_year=2017, amount_awarded=1000, what="Byrne JAG")

    def test_real_records_match_the_declared_schemas(self):
        document = self.client.get(reverse("dashboard:openapi")).json()
        for path, url in [
            *((path, path) for path in LISTS),
            ("/lists/", "/lists/"),
            ("/lists/{slug}/", "/lists/doj-2025-08-05/"),
        ]:
            get = document["paths"][path]["get"]
            schema = get["responses"]["200"]["content"]["application/json"]["schema"]
            body = json.loads(b"".join(self.client.get(url, {"format": "json"}).streaming_content))
            with self.subTest(path=path):
                self.assertTrue(body["results"])
                jsonschema.validate(body, rooted(document, schema))

    def test_real_record_pages_match_their_declared_schemas(self):
        document = self.client.get(reverse("dashboard:openapi")).json()
        letter = f.Letter.objects.get()
        event = f.Event.objects.first()
        condition = letter.demands.get().condition
        pages = {
            "/jurisdictions/{slug}/": letter.recipient.get_absolute_url(),
            "/letters/{id}/": letter.get_absolute_url(),
            "/events/{id}/": event.get_absolute_url(),
            "/programs/{slug}/": letter.program.get_absolute_url(),
            "/conditions/{code}/": condition.get_absolute_url(),
        }
        self.assertEqual(set(pages), set(DETAILS))
        for path, url in pages.items():
            schema = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            record = self.client.get(url, {"format": "json"}).json()
            with self.subTest(path=path):
                jsonschema.validate(record, rooted(document, schema))
        named_on = self.client.get(letter.recipient.get_absolute_url(), {"format": "json"}).json()["named_on"]
        self.assertTrue(named_on)  # the nested list entries were checked, not an empty list

    def test_the_schemas_catch_a_field_the_builder_added_or_retyped(self):
        document = self.client.get(reverse("dashboard:openapi")).json()
        schema = document["paths"]["/matrix/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = json.loads(b"".join(self.client.get("/matrix/", {"format": "json"}).streaming_content))
        condition = body["results"][0]["conditions"][0]
        self.assertTrue(condition["law"]["parts"][0]["measures"])
        self.assertTrue(condition["courts"]["answers"])
        condition["law"]["parts"][0]["measures"][0]["undeclared"] = 1
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(body, rooted(document, schema))
        del condition["law"]["parts"][0]["measures"][0]["undeclared"]
        body["results"][0]["letter_id"] = "1"
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(body, rooted(document, schema))
