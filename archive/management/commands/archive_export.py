"""Export a committee's closed cases of a year as E-ARK packages:
``archive_export --committee ID --year YYYY [--out DIR]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from archive.selectors import cases_to_archive
from archive.services import archived_case_export
from organizations.models import Committee
from workflows.services import TransitionRefused, system_user


class Command(BaseCommand):
    help = "Export the committee's closed cases of the year to the e-archive (E-ARK SIP, one zip per case)."

    def add_arguments(self, parser):
        parser.add_argument("--committee", type=int, required=True, help="the committee's id")
        parser.add_argument("--year", type=int, required=True, help="the year the cases were opened")
        parser.add_argument("--out", help="also write each package to this folder")

    def handle(self, *args, committee, year, out=None, **options):
        try:
            committee = Committee.objects.select_related("municipality").get(pk=committee)
        except Committee.DoesNotExist as exc:
            raise CommandError(f"No committee with id {committee}") from exc
        folder = Path(out) if out else None
        if folder:
            folder.mkdir(parents=True, exist_ok=True)
        by = system_user()
        exported = failed = 0
        for case in cases_to_archive(committee=committee, year=year):
            try:
                archived = archived_case_export(case=case, by=by)
            except TransitionRefused as exc:
                failed += 1
                self.stderr.write(f"{case}: {' '.join(exc.reasons)}")
                continue
            exported += 1
            if folder:
                with archived.package.open("rb") as handle:
                    (folder / f"{archived.package_id}.zip").write_bytes(handle.read())
            self.stdout.write(f"{archived.package_id} {archived.sha256}")
        self.stdout.write(f"exported: {exported}, failed: {failed}")
        if failed:
            raise CommandError(f"{failed} cases could not be exported")
