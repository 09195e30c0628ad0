"""Admin import/export of letters with their conditions and sources."""

from import_export import fields
from import_export.widgets import ManyToManyWidget

from compliance.stored import deferred
from dataentry.importing import LookupWidget, SourceUrlsWidget, TrackerResource
from jurisdictions.models import Jurisdiction
from programs.models import Condition, Program

from .models import Batch, Letter


class LetterResource(TrackerResource):
    bulk_writes = staticmethod(deferred)  # stored control and answers: once per import
    batch = fields.Field("batch", "batch", LookupWidget(Batch, "code"))
    program = fields.Field("program", "program", LookupWidget(Program, "slug"))
    recipient = fields.Field("recipient", "recipient", LookupWidget(Jurisdiction, "slug"))
    conditions = fields.Field("conditions", "conditions", ManyToManyWidget(Condition, separator=";", field="code"))
    sources = fields.Field("sources", "sources", SourceUrlsWidget())

    class Meta:
        model = Letter
        fields = [
            "id",
            "batch",
            "program",
            "program_context",
            "sender_name",
            "sender_title",
            "sender_office",
            "sent_on",
            "deadline",
            "recipient",
            "addressee",
            "addressee_confirmed",
            "document_url",
            "conditions",
            "sources",
            "notes",
        ]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    example_row = {
        "batch": "",
        "program": "psp",
        "program_context": "",
        "sender_name": "Alan R. Hanson",
        "sender_title": "Acting Assistant Attorney General, Office of Justice Programs",
        "sender_office": "Office of Justice Programs",
        "sent_on": "2017-08-03",
        "deadline": "2017-08-18",
        "recipient": "city-of-stockton-ca",
        "addressee": "Stockton Police Department",
        "addressee_confirmed": "0",
        "document_url": "",
        "conditions": "jail_access;release_notice_48h",
        "sources": "https://example.org/the-article-that-reports-the-letter",
        "notes": "Leave id empty for a new letter.",
    }

    def row_problems(self, row):
        """Condition codes: the many-to-many widget would drop an unknown code silently."""
        codes = [code for code in str(row.get("conditions") or "").split(";") if code]
        known = set(Condition.objects.filter(code__in=codes).values_list("code", flat=True))
        problems = []
        if unknown := sorted(set(codes) - known):
            problems.append(f"unknown condition code(s): {', '.join(unknown)}")
        if len(codes) != len(set(codes)):
            problems.append("a condition is listed twice")
        return {"conditions": problems} if problems else {}
