import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from sanctuary_lists.importing import ImportBlocked, apply_import, plan_import


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a YYYY-MM-DD date") from None


def confirmation(value):
    line, _, slug = value.partition("=")
    if not line.isdigit() or not slug:
        raise ValueError(f"{value!r} is not LINE=SLUG")
    return int(line), slug


class Command(BaseCommand):
    help = (
        "Import a published sanctuary list from CSV (jurisdiction_name,kind,state,source_url,<section column>,notes). "
        "Prints matched / new / ambiguous per row; writes all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", required=True)
        parser.add_argument("--published-on", required=True, type=iso_date)
        parser.add_argument("--publisher", default="U.S. Department of Justice")
        parser.add_argument("--slug", help="Defaults to the title and date, slugified.")
        parser.add_argument("--withdrawn-on", type=iso_date)
        parser.add_argument("--source-url", action="append", default=[], help="A source of the list (repeatable).")
        parser.add_argument("--notes", default="")
        parser.add_argument(
            "--confirm",
            action="append",
            default=[],
            type=confirmation,
            metavar="LINE=SLUG",
            help="Confirm the match of one line (repeatable); kept as an alias.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show the matching table; write nothing.")

    def handle(self, *args, file, title, published_on, dry_run, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        plan = plan_import(text, confirmations=dict(options["confirm"]))
        for problem in plan.file_problems:
            self.stderr.write(f"{file.name}: {problem}")
        for row in plan.rows:
            self.stdout.write(
                f"{row.line:>4}  {row.outcome:<9}  {row.name} ({row.kind or '?'}, {row.state or '?'})"
                f" [{row.section}] → {row.explanation}"
            )
        self.stdout.write(", ".join(f"{count} {outcome}" for outcome, count in plan.counts.items()))
        if plan.blocked:
            raise CommandError("Nothing imported: the file has ambiguous or invalid rows.")
        if dry_run:
            self.stdout.write("Dry run: nothing written.")
            return
        slug = options["slug"] or slugify(f"{title} {published_on}")[:120]
        values = {
            "title": title,
            "publisher": options["publisher"],
            "published_on": published_on,
            "withdrawn_on": options["withdrawn_on"],
            "notes": options["notes"],
        }
        try:
            result = apply_import(plan, slug=slug, list_values=values, list_source_urls=options["source_url"])
        except (ImportBlocked, ValidationError) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("Nothing imported: " + "; ".join(messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.entries} entries into {result.published_list.slug}; "
                f"{len(result.created_jurisdictions)} jurisdictions created, {result.aliases_added} aliases kept, "
                f"{result.removed_entries} old entries removed."
            )
        )
