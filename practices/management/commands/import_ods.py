"""python manage.py import_ods PATH [--suppliers SUPPLIERS_CSV]: GP practices from ODS (docs/decisions/0010)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from practices.ods import OdsFileRefused
from practices.ods_import import describe, ods_import


class Command(BaseCommand):
    help = (
        "Import GP practices (prescribing setting 4) and their regions, ICBs and sub-ICB locations from an ODS "
        "epraccur file as published; optionally each practice's current supplier from an ODSCode,Supplier CSV. "
        "A file with any bad line is refused whole and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The epraccur CSV file")
        parser.add_argument("--suppliers", metavar="SUPPLIERS_CSV", help="A CSV of ODSCode,Supplier")

    def handle(self, *args, path, suppliers=None, **options):
        epraccur = self._read(path)
        supplier_data = self._read(suppliers) if suppliers else None
        source = describe(Path(path).name, epraccur)
        if supplier_data is not None:
            source += " and " + describe(Path(suppliers).name, supplier_data)
        started = time.monotonic()
        try:
            summary = ods_import(
                epraccur=epraccur, suppliers=supplier_data, actor=None, source=source, today=timezone.localdate()
            )
        except OdsFileRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            count = len(refused.errors)
            raise CommandError(f"Refused: {count} problem{'s' if count != 1 else ''}; nothing was saved.") from None
        for line in summary.report():
            self.stdout.write(line)
        self.stdout.write(f"Took {time.monotonic() - started:.1f} seconds.")

    def _read(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
