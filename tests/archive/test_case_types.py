"""A partnership and a committee meeting are archived in the same package shape as an application."""

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from archive.models import ArchivedCase
from archive.services import CaseNotClosed, archived_case_export
from iop import services as iop_services
from meetings.documents import agenda_document_make, minutes_document_make
from meetings.models import Meeting

from ..iop.factories import checklist, in_state
from .helpers import NS, check_package, erms_case, erms_own

pytestmark = pytest.mark.django_db


def _package(archived):
    with archived.package.open("rb") as handle:
        return check_package(handle.read())


def test_a_partnership_found_unsuitable_is_archived_with_its_letter_and_history(world):
    caseworker = world.users["caseworker"]
    partnership = in_state(world, "screening")
    iop_services.screening_record(
        partnership=partnership, answers=checklist(own_initiative=False), by=caseworker
    )
    partnership = iop_services.partnership_screen(
        partnership=partnership, suitable=False, by=caseworker, reason="Ett vanligt bidrag passar bättre."
    )
    archived = archived_case_export(case=partnership, by=world.users["program_admin"])

    package = _package(archived)
    data = [n for n in package.names if "/representations/rep1/data/" in n]
    assert any("not_suitable_letter" in n for n in data)
    case = erms_case(package)
    party = case.find("erms:agents/erms:agent[@agentType='counterpart']", NS)
    assert party.findtext("erms:name", namespaces=NS) == partnership.organisation.name
    transitions = [t.text for t in case.iterfind("erms:action/erms:actionType", NS)]
    assert transitions[-1] == "find_not_suitable"


def test_a_running_partnership_is_refused(world):
    partnership = in_state(world, "dialogue")
    with pytest.raises(CaseNotClosed):
        archived_case_export(case=partnership, by=world.users["program_admin"])


def _meeting(world, state):
    starts = timezone.now() - dt.timedelta(days=40)
    return Meeting.objects.create(
        committee=world.committee,
        starts_at=starts,
        place="Kommunhuset",
        state=state,
        posted_on=(starts + dt.timedelta(days=3)).date(),
        created_by=world.users["secretary"],
    )


def test_a_final_meetings_package_holds_its_agenda_and_minutes_with_their_checksums(world):
    meeting = _meeting(world, Meeting.State.FINAL)
    agenda = agenda_document_make(meeting=meeting, by=world.users["secretary"])
    minutes = minutes_document_make(meeting=meeting, by=world.users["secretary"])

    package = _package(archived_case_export(case=meeting, by=world.users["program_admin"]))

    files = {
        element.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href"): element
        for element in package.mets.iterfind(".//mets:file", NS)
    }
    for document in (agenda, minutes):
        (href,) = [h for h in files if h.startswith(f"representations/rep1/data/{document.kind}-")]
        with document.file.open("rb") as handle:
            stored = handle.read()
        assert stored.startswith(b"%PDF") and package.read(href) == stored
        assert files[href].get("CHECKSUM") == hashlib.sha256(stored).hexdigest()
        assert files[href].get("MIMETYPE") == "application/pdf"
    titles = [t.text for t in package.xml("metadata/descriptive/arende.xml").iter() if t.text]
    assert minutes.title in titles


def test_a_final_meeting_is_archived_and_one_not_yet_final_is_refused(world):
    with pytest.raises(CaseNotClosed):
        archived_case_export(case=_meeting(world, Meeting.State.POSTED), by=world.users["program_admin"])
    archived = archived_case_export(
        case=_meeting(world, Meeting.State.FINAL), by=world.users["program_admin"]
    )
    package = _package(archived)
    assert erms_own(erms_case(package), "caseType") == "Nämndsammanträde"
    assert ArchivedCase.objects.count() == 1
