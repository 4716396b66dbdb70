"""Journey: the program administrator hands the committee's closed cases of a year to the e-archive.

Pia, program administrator of Exempelö, finds the e-archive in the menu.  She first asks for a
year whose only application is still being assessed: nothing is handed over, and the page names
the open case and its state.  Then she exports the year with the dismissed application, follows
the progress to the result and downloads the packages.  The e-archive would find in the package
a METS file listing the dismissal letter, with the letter's checksum.
"""

import hashlib
import io
import zipfile

import pytest
from django_fsm_log.models import StateLog

from archive.models import ArchivedCase, ExportJob
from grants.models import Application
from workflows.models import StoredDocument

from ..archive.conftest import dismissed_application
from ..archive.helpers import NS, check_package, erms_case
from ..conftest import build_world
from ..grants.factories import application_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_program_administrator_exports_a_closed_year_and_the_archive_gets_its_package(journey):
    world = build_world()
    dismissed = dismissed_application(world)
    year = dismissed.submitted_at.year
    still_open = application_in(world, "in_assessment", key="open")
    # the open application came in the year before: that year has nothing closed to hand over
    Application.objects.filter(pk=still_open.pk).update(
        submitted_at=still_open.submitted_at.replace(year=year - 1)
    )
    letter = StoredDocument.objects.get(object_id=dismissed.pk, kind__contains="dismiss")

    pia = journey.person(world.user("program_admin")).sign_in()
    pia.page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="E-arkiv").click()
    pia.page.wait_for_load_state()
    pia.check("menu E-arkiv")
    pia.sees("Leverera avslutade ärenden till e-arkivet", "Inga ärenden har exporterats än.").look()

    # -- a year whose only case is still open: refused, and the page says which case and why --
    pia.choose("Nämnd", "Socialnämnden").fill("År då ärendena inleddes", str(year - 1))
    pia.click("Exportera de avslutade ärendena")
    pia.sees(
        f"Nämnden har inga avslutade ärenden från {year - 1} kvar att arkivera.",
        f"{still_open.case_number} är inte avslutat (status: ”under bedömning”)",
        "bara avslutade ärenden levereras till e-arkivet",
    ).look()
    assert not ExportJob.objects.exists() and not ArchivedCase.objects.exists()

    # -- the year with the dismissed application: exported, with its progress and result ------
    pia.fill("År då ärendena inleddes", str(year)).click("Exportera de avslutade ärendena")
    pia.sees("Ärendena exporteras. Följ förloppet nedan.", "Socialnämnden")
    pia.open("/e-arkiv/").sees("Klar: 1 av 1 ärenden exporterade.", "Startad av Program_Admin Exempelö")
    pia.does_not_see("Uppdatera förloppet").look()
    assert pia.page.get_by_role("progressbar", name="Exporterade ärenden").get_attribute("value") == "1"
    job = ExportJob.objects.get()
    assert (job.state, job.year, job.done, job.total, job.failed) == (ExportJob.State.DONE, year, 1, 1, 0)
    archived = ArchivedCase.objects.get()
    assert (archived.object_id, archived.state) == (dismissed.pk, ArchivedCase.State.EXPORTED)
    assert [log.transition for log in StateLog.objects.for_(archived)] == ["export"]

    # -- the download: one zip with the case's package, as the e-archive takes it --------------
    data = pia.download(f"Ladda ned paketen för {year} (zip)")
    with zipfile.ZipFile(io.BytesIO(data)) as outer:
        assert outer.namelist() == [f"{archived.package_id}.zip"]
        inner = outer.read(f"{archived.package_id}.zip")
    assert hashlib.sha256(inner).hexdigest() == archived.sha256
    package = check_package(inner)  # METS valid, every file's checksum and size as METS says
    assert package.package_id == archived.package_id
    files = {
        element.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href"): element.get("CHECKSUM")
        for element in package.mets.iterfind(".//mets:file", NS)
    }
    with letter.file.open("rb") as handle:
        letter_sha = hashlib.sha256(handle.read()).hexdigest()
    (href,) = [h for h in files if h.startswith(f"representations/rep1/data/{letter.kind}-")]
    assert href.endswith(".pdf") and files[href] == letter_sha
    assert package.read(href).startswith(b"%PDF")
    # the case's own package is offered too, under the job's list of exported cases
    pia.page.get_by_text("Det exporterade ärendet (1)").click()
    pia.sees(dismissed.case_number).look()
    assert pia.download(f"paket {archived.package_id} (zip)") == inner
    assert erms_case(package).findtext("erms:objectId", namespaces=NS) == dismissed.case_number

    # -- the year is done: asking again hands nothing over twice ------------------------------
    pia.fill("År då ärendena inleddes", str(year)).click("Exportera de avslutade ärendena")
    pia.sees(f"Nämnden har inga avslutade ärenden från {year} kvar att arkivera.")
    assert ExportJob.objects.count() == 1 and ArchivedCase.objects.count() == 1
