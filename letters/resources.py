"""Admin import/export of letters with their conditions and sources."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from dataentry.importing import SourceUrlsWidget, TrackerResource
from jurisdictions.models import Jurisdiction
from programs.models import Condition, Program

from .models import Batch, Letter


class LetterResource(TrackerResource):
    batch = fields.Field("batch", "batch", ForeignKeyWidget(Batch, "code"))
    program = fields.Field("program", "program", ForeignKeyWidget(Program, "slug"))
    recipient = fields.Field("recipient", "recipient", ForeignKeyWidget(Jurisdiction, "slug"))
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

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        for column, model, field in (("program", Program, "slug"), ("recipient", Jurisdiction, "slug")):
            value = row.get(column)
            if not value:
                raise ValueError(f"{column} is required")
            if not model.objects.filter(**{field: value}).exists():
                raise ValueError(f"{column} {value!r} does not exist")
        codes = [code for code in str(row.get("conditions") or "").split(";") if code]
        unknown = set(codes) - set(Condition.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise ValueError(f"unknown condition code(s): {', '.join(sorted(unknown))}")
        if len(codes) != len(set(codes)):
            raise ValueError("a condition is listed twice")
