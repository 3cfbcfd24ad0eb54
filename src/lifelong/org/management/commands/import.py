"""`lifelong import org FILE`: import units, positions, ranks and people (docs/import.md)."""

import codecs
import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from lifelong.org import importer


class Command(BaseCommand):
    """Import data from a file; `org` is the one kind of import so far."""

    help = "Import data from a file. `lifelong import org FILE` loads the organisation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Declare `org FILE [--dry-run] [--json] [--encoding E] [--kind K]`."""
        targets = parser.add_subparsers(dest="target", required=True, metavar="{org}")
        org = targets.add_parser(
            "org",
            help="units, job positions, ranks and people from an XLSX or CSV file",
            description=(
                "Import units, job positions, civil-service ranks and people from one XLSX "
                "workbook (sheets units, positions, ranks, people) or one CSV file. All or "
                "nothing: every row is checked and nothing is written unless all are valid."
            ),
        )
        org.add_argument("file", help="the .xlsx or .csv file")
        org.add_argument(
            "--dry-run", action="store_true", help="check the file and report; write nothing"
        )
        org.add_argument("--json", action="store_true", help="print the result as JSON")
        org.add_argument(
            "--encoding",
            default=None,
            help="encoding of a CSV file (default: strict UTF-8); e.g. cp1258 for Windows-1258",
        )
        org.add_argument(
            "--kind",
            choices=importer.KINDS,
            default=None,
            help="what a CSV file lists (default: told by its header)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the import and print a summary, the error table, or JSON."""
        path = Path(options["file"])
        encoding = options["encoding"]
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise CommandError(_("Unknown encoding: {name}.").format(name=encoding)) from None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read {path}: {reason}.").format(path=path, reason=exc.strerror)
            ) from exc
        as_json = options["json"]
        with tqdm(
            unit=_("rows"), file=sys.stderr, disable=as_json or not sys.stderr.isatty()
        ) as bar:
            result = importer.import_file(
                data,
                acting_user=None,
                name=path.name,
                encoding=encoding,
                kind=options["kind"],
                dry_run=options["dry_run"],
                progress=bar.update,
            )
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        elif result.ok:
            self.stdout.write(self._summary(result))
        else:
            self.stderr.write(self._error_table(result.errors))
        if not result.ok:
            raise CommandError(
                _("The import was refused: {n} error(s); nothing was written.").format(
                    n=len(result.errors)
                ),
                returncode=1,
            )

    def _summary(self, result: importer.ImportResult) -> str:
        counts = result.created
        if result.dry_run:
            head = _("The file is valid (dry run, nothing written). It would create:")
        else:
            head = _("Imported:")
        lines = [
            head,
            _("  units: {n}").format(n=counts["units"]),
            _("  job positions: {n}").format(n=counts["positions"]),
            _("  ranks: {n}").format(n=counts["ranks"]),
            _("  people: {n}").format(n=counts["people"]),
        ]
        return "\n".join(lines)

    def _error_table(self, errors: tuple[importer.RowError, ...]) -> str:
        header = (_("Sheet"), _("Row"), _("Column"), _("Message"))
        rows = [(e.sheet, "" if e.row is None else str(e.row), e.column, e.message) for e in errors]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
            for row in [header, *rows]
        ]
        return "\n".join(lines)
