"""A closed case becomes an E-ARK package that the e-archive can validate and read back."""

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django_fsm_log.models import StateLog

from archive.models import ArchivedCase
from archive.services import CaseNotClosed, archived_case_export
from grants.models import Application
from workflows.models import StoredDocument

from ..grants.factories import application_in
from .helpers import NS, check_package, erms_case, erms_own, premis_fixity

pytestmark = pytest.mark.django_db


def _package_of(archived):
    with archived.package.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == archived.sha256
    return check_package(data)


def test_a_dismissed_application_is_exported_as_a_valid_package_with_every_document(world, dismissed):
    archived = archived_case_export(case=dismissed, by=world.users["program_admin"])

    package = _package_of(archived)
    mets = package.mets
    assert mets.get("PROFILE") == "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
    assert mets.get(f"{{{NS['csip']}}}CONTENTINFORMATIONTYPE") == "citserms_v2_1"
    agents = [a.findtext("mets:name", namespaces=NS) for a in mets.iterfind("mets:metsHdr/mets:agent", NS)]
    assert agents == ["Exempelö kommun", "Bidra"]

    # every stored document and attachment of the case is there, byte for byte
    documents = StoredDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=dismissed.pk
    )
    kinds = {d.kind for d in documents}
    assert "grant_dismissal" in {k.split("_letter")[0] for k in kinds} or len(kinds) >= 1
    data_files = {name for name in package.names if "/representations/rep1/data/" in name}
    stored = {d.sha256 for d in documents} | {
        a.sha256 or hashlib.sha256(a.file.read()).hexdigest() for a in dismissed.files.exclude(file="")
    }
    in_package = {hashlib.sha256(package.names[n]).hexdigest() for n in data_files}
    assert stored <= in_package
    assert len(data_files) == documents.count() + dismissed.files.exclude(file="").count()

    # PREMIS repeats the fixity of each file and the transitions as events
    fixity = premis_fixity(package)
    for name in data_files:
        path = name.split("/", 1)[1]
        assert fixity[path] == hashlib.sha256(package.names[name]).hexdigest()
    premis = package.xml("metadata/preservation/premis.xml")
    events = [e.findtext("premis:eventType", namespaces=NS) for e in premis.iterfind("premis:event", NS)]
    assert [e for e in events if e in ("submit", "accept", "dismiss")] == ["submit", "accept", "dismiss"]

    # the description (CITS ERMS, valid: check_package) names the case, the party and who did what
    erms = package.xml("metadata/descriptive/arende.xml")
    assert (
        erms.findtext(
            "erms:control/erms:identification[@identificationType='archivalCreator']", namespaces=NS
        )
        == "Exempelö kommun"
    )
    case = erms_case(package)
    assert case.findtext("erms:objectId", namespaces=NS) == dismissed.case_number
    assert (
        case.findtext("erms:identification[@identificationType='caseNumber']", namespaces=NS)
        == dismissed.case_number
    )
    assert case.find("erms:status", NS).get("value") == "closed"
    party = case.find("erms:agents/erms:agent[@agentType='counterpart']", NS)
    assert party.findtext("erms:name", namespaces=NS) == "Föreningen Trygg Vardag"
    assert party.findtext("erms:idNumber", namespaces=NS) == dismissed.organisation.org_number
    dates = {d.get("dateType"): d.text for d in case.iterfind("erms:dates/erms:date", NS)}
    assert {"created", "closed"} <= set(dates)
    actions = case.findall("erms:action", NS)
    dismissal = next(a for a in actions if a.findtext("erms:actionType", namespaces=NS) == "dismiss")
    assert (
        dismissal.findtext("erms:agents/erms:agent/erms:name", namespaces=NS)
        == world.users["caseworker"].get_full_name()
    )
    assert (
        dismissal.findtext("erms:actionMotivation", namespaces=NS) == "Föreningen är inte verksam i kommunen."
    )
    assert dismissal.find("erms:dates/erms:actionDate", NS).text
    # each document is a record pointing at its file, with the checksum of the file in the package
    records = case.findall("erms:record", NS)
    assert {r.findtext("erms:objectId", namespaces=NS) for r in records} == {
        n.split("/", 1)[1] for n in data_files
    }
    for record in records:
        path = record.find("erms:additionalInformation/erms:appendix", NS).get("path")
        assert erms_own(record, "checksum") == hashlib.sha256(package.read(path)).hexdigest()
        assert record.findtext("erms:title", namespaces=NS)
        assert record.find("erms:dates/erms:date[@dateType='created']", NS) is not None


def test_the_export_is_marked_on_the_case_and_logged(world, dismissed):
    archived = archived_case_export(case=dismissed, by=world.users["program_admin"])
    archived.refresh_from_db()
    assert archived.state == ArchivedCase.State.EXPORTED
    assert archived.case == dismissed and archived.exported_by == world.users["program_admin"]
    log = StateLog.objects.get(
        content_type=ContentType.objects.get_for_model(ArchivedCase), object_id=archived.pk
    )
    assert log.by == world.users["program_admin"] and archived.package_id in log.description


def test_a_case_that_is_not_closed_is_refused_in_swedish(world):
    application = application_in(world, "in_assessment")
    with pytest.raises(CaseNotClosed) as refused:
        archived_case_export(case=application, by=world.users["program_admin"])
    assert "inte avslutat" in refused.value.reasons[0]
    assert not ArchivedCase.objects.exists()


def test_a_caseworker_may_not_export(world, dismissed):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        archived_case_export(case=dismissed, by=world.users["caseworker"])
    assert not ArchivedCase.objects.exists()
