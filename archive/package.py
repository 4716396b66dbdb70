"""An E-ARK SIP (CSIP 2 / FGS Paketstruktur) of one closed case, as a zip holding one folder.

::

    <package id>/
        METS.xml                                  the package's inventory (CSIP profile)
        metadata/descriptive/arende.xml           the case in CITS ERMS v3 (FGS Ärendehantering)
        metadata/preservation/premis.xml          PREMIS 3: files, fixity, events, agents
        representations/rep1/data/<files>         the stored documents and attachments

Every file is listed in METS.xml's fileSec (or as an mdRef) with its SHA-256, size, MIME type
and creation time; PREMIS repeats the fixity and turns every transition log row of the case
into an event with its agent.  Only what the package builder is told by the case type's
``ArchiveAdapter`` goes in: this module knows no case type.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django_fsm_log.models import StateLog
from lxml import etree

from .adapters import ArchiveAdapter, ArchiveDescription, ArchiveFile

METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
PREMIS = "http://www.loc.gov/premis/v3"
#: E-ARK CITS ERMS v3, of which FGS Ärendehantering is the Swedish profile
ERMS = "https://DILCIS.eu/XML/ERMS"

SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_INFORMATION_TYPE = "citserms_v2_1"
METS_SCHEMA_LOCATION = (
    f"{METS} http://www.loc.gov/standards/mets/mets.xsd {XLINK} http://www.loc.gov/standards/xlink/xlink.xsd "
    f"{CSIP} https://earkcsip.dilcis.eu/schema/DILCISExtensionMETS.xsd "
    f"{SIP} https://earksip.dilcis.eu/schema/DILCISExtensionSIPMETS.xsd"
)
PREMIS_SCHEMA_LOCATION = f"{PREMIS} https://www.loc.gov/standards/premis/v3/premis.xsd"

DESCRIPTIVE = "metadata/descriptive/arende.xml"
PRESERVATION = "metadata/preservation/premis.xml"
DATA = "representations/rep1/data/"


def software_version() -> str:
    try:
        return version("bidra")
    except PackageNotFoundError:
        return "0"


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _sub(parent, tag: str, text: str | None = None, **attrs):
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items() if v not in (None, "")})
    if text is not None:
        element.text = str(text)
    return element


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass
class PackedFile:
    path: str
    data: bytes
    mimetype: str
    created: dt.datetime
    title: str = ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Package:
    package_id: str
    data: bytes
    files: list[PackedFile]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def state_log(objects) -> list[StateLog]:
    """The transition log rows of ``objects``, oldest first: the actions taken in the case."""
    query = Q(pk__in=[])
    for obj in objects:
        query |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return list(
        StateLog.objects.filter(query).select_related("by", "content_type").order_by("timestamp", "pk")
    )


# --- metadata/descriptive ------------------------------------------------------------------------


def _datetime(value) -> str:
    """``value`` as an xs:dateTime; a date counts from local midnight."""
    if isinstance(value, dt.datetime):
        return _iso(value)
    midnight = dt.datetime.combine(value, dt.time.min, tzinfo=timezone.get_current_timezone())
    return midnight.isoformat(timespec="seconds")


def _system_identifier(package_id: str, name: str) -> str:
    """The UUID the ERMS document gives an aggregation or record: stable within the package."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:bidra:archive:{package_id}:{name}"))


def _erms_agent(parent, agent_type: str, name: str, *, tag: str = "agent", other: str = "", **fields):
    e = f"{{{ERMS}}}"
    agent = _sub(parent, f"{e}{tag}", agentType=agent_type, otherAgentType=other)
    _sub(agent, f"{e}name", name)
    if fields.get("organisation"):
        _sub(agent, f"{e}organisation", fields["organisation"])
    if fields.get("unit"):
        _sub(agent, f"{e}unitName", fields["unit"])
    if fields.get("org_number"):
        _sub(agent, f"{e}idNumber", fields["org_number"], idNumberType="organisationsnummer")
    if fields.get("role"):
        _sub(agent, f"{e}role", fields["role"])
    return agent


def _own_elements(parent, description: str, values: list[tuple[str, str, dict]]):
    """Bidra's own fields in ERMS's extension point (``additionalInformation/ownElement``)."""
    e = f"{{{ERMS}}}"
    wrapper = _sub(parent, f"{e}ownElement")
    _sub(wrapper, f"{e}ownElementDescription", description)
    for name, value, attrs in values:
        _sub(_sub(wrapper, f"{e}ownElement", name=name, **attrs), f"{e}value", value)
    return wrapper


def _actor(row: StateLog) -> str:
    return (row.by.get_full_name() or row.by.get_username()) if row.by else "Bidra"


def descriptive_xml(
    description: ArchiveDescription,
    files: list[PackedFile],
    log: list[StateLog],
    *,
    package_id: str,
    created: dt.datetime,
) -> bytes:
    """The case after E-ARK CITS ERMS v3 (FGS Ärendehantering): one aggregation of type caseFile
    with the case number, title, status, parties, dates, every transition log row as an action and
    every document as a record that points at its file in the package and repeats its checksum."""
    e = f"{{{ERMS}}}"
    committee = description.committee
    municipality = committee.municipality
    org_number = getattr(municipality, "org_number", "") or ""
    root = etree.Element(f"{e}erms", nsmap={None: ERMS})

    control = _sub(root, f"{e}control")
    _sub(control, f"{e}identification", package_id, identificationType="packageId")
    _sub(control, f"{e}identification", municipality.name, identificationType="archivalCreator")
    if org_number:
        _sub(
            control, f"{e}identification", org_number, identificationType="archivalCreatorOrganisationNumber"
        )
    maintenance = _sub(control, f"{e}maintenanceInformation")
    _sub(maintenance, f"{e}maintenanceStatus", value="new")
    agency = _sub(maintenance, f"{e}maintenanceAgency")
    if org_number:
        _sub(agency, f"{e}agencyCode", org_number, type="organisationsnummer")
    _sub(agency, f"{e}agencyName", municipality.name)
    event = _sub(_sub(maintenance, f"{e}maintenanceHistory"), f"{e}maintenanceEvent")
    _sub(event, f"{e}eventType", value="created")
    _sub(event, f"{e}eventDateTime", _iso(created))
    _erms_agent(event, "other", f"Bidra {software_version()}", other="software")

    case = _sub(
        _sub(root, f"{e}aggregations"),
        f"{e}aggregation",
        systemIdentifier=_system_identifier(package_id, "case"),
        aggregationType="caseFile",
    )
    _sub(case, f"{e}objectId", description.case_number)
    _sub(case, f"{e}identification", description.case_number, identificationType="caseNumber")
    _sub(case, f"{e}levelName", "ärende")
    _sub(case, f"{e}title", description.title)
    _sub(case, f"{e}status", value="closed")
    own = [("caseType", description.case_type, {}), ("caseStatus", description.status, {})]
    own += [(label, value, {}) for label, value in description.facts]
    _own_elements(
        _sub(case, f"{e}additionalInformation"), "Bidra: the case type, its state and its facts", own
    )
    agents = _sub(case, f"{e}agents")
    _erms_agent(
        agents,
        "owner",
        committee.name,
        organisation=municipality.name,
        org_number=org_number,
        role="ansvarig nämnd",
    )
    if description.organisation is not None:
        _erms_agent(
            agents,
            "counterpart",
            description.organisation.name,
            org_number=description.organisation.org_number,
            role="part",
        )
    dated = [
        (kind, value)
        for kind, value in (
            ("created", description.opened),
            ("decision", description.decided),
            ("closed", description.closed),
        )
        if value
    ]
    if dated:
        dates = _sub(case, f"{e}dates")
        for kind, value in dated:
            _sub(dates, f"{e}date", _datetime(value), dateType=kind)
    for row in log:
        action = _sub(case, f"{e}action")
        subject = f"{row.content_type.app_label}.{row.content_type.model}:{row.object_id}"
        _sub(
            action, f"{e}actionText", f"{row.transition}: {row.source_state or ''} → {row.state} ({subject})"
        )
        if row.description:
            _sub(action, f"{e}actionMotivation", row.description)
        _sub(action, f"{e}actionType", row.transition)
        _sub(
            _sub(action, f"{e}dates"),
            f"{e}actionDate",
            _iso(row.timestamp),
            dateType="other",
            otherDateType="performed",
        )
        performer = _sub(action, f"{e}agents")
        if row.by_id:
            _erms_agent(performer, "user", _actor(row), role="handläggare")
        else:
            _erms_agent(performer, "other", _actor(row), other="software")
    for number, packed in enumerate(files, start=1):
        record = _sub(
            case,
            f"{e}record",
            systemIdentifier=_system_identifier(package_id, packed.path),
            recordPhysicalOrDigital="digital",
        )
        _sub(record, f"{e}objectId", packed.path)
        _sub(record, f"{e}parentAggregationId", description.case_number)
        _sub(record, f"{e}title", packed.title or packed.path.rsplit("/", 1)[-1])
        _sub(record, f"{e}runningNumber", number)
        _sub(_sub(record, f"{e}dates"), f"{e}date", _iso(packed.created), dateType="created")
        extra = _sub(record, f"{e}additionalInformation")
        _sub(
            extra,
            f"{e}appendix",
            name=packed.path.rsplit("/", 1)[-1],
            path=packed.path,
            fileFormat=packed.mimetype,
        )
        _own_elements(
            extra,
            "Bidra: the file's checksum and size, as METS.xml and premis.xml state them",
            [
                ("checksum", packed.sha256, {"dataType": "hexBinary", "format": "SHA-256"}),
                ("size", str(packed.size), {"dataType": "integer", "format": "bytes"}),
            ],
        )
    return _xml(root)


# --- metadata/preservation -----------------------------------------------------------------------


def premis_xml(
    *, package_id: str, files: list[PackedFile], log: list[StateLog], municipality, created: dt.datetime
) -> bytes:
    p = f"{{{PREMIS}}}"
    root = etree.Element(f"{p}premis", nsmap={"premis": PREMIS, "xsi": XSI}, version="3.0")
    root.set(f"{{{XSI}}}schemaLocation", PREMIS_SCHEMA_LOCATION)

    def identifier(parent, kind: str, value: str):
        element = _sub(parent, f"{p}{kind}Identifier")
        _sub(element, f"{p}{kind}IdentifierType", "local")
        _sub(element, f"{p}{kind}IdentifierValue", value)

    def linking(parent, kind: str, value: str):
        element = _sub(parent, f"{p}linking{kind}Identifier")
        _sub(element, f"{p}linking{kind}IdentifierType", "local")
        _sub(element, f"{p}linking{kind}IdentifierValue", value)

    for packed in files:
        obj = _sub(root, f"{p}object")
        obj.set(f"{{{XSI}}}type", "premis:file")
        identifier(obj, "object", packed.path)
        characteristics = _sub(obj, f"{p}objectCharacteristics")
        fixity = _sub(characteristics, f"{p}fixity")
        _sub(fixity, f"{p}messageDigestAlgorithm", "SHA-256")
        _sub(fixity, f"{p}messageDigest", packed.sha256)
        _sub(characteristics, f"{p}size", packed.size)
        file_format = _sub(characteristics, f"{p}format")
        _sub(_sub(file_format, f"{p}formatDesignation"), f"{p}formatName", packed.mimetype)
        _sub(obj, f"{p}originalName", packed.title or packed.path.rsplit("/", 1)[-1])

    agents: dict[str, tuple[str, str]] = {
        "bidra": (f"Bidra {software_version()}", "software"),
        f"municipality-{municipality.pk}": (municipality.name, "organization"),
    }
    for row in log:
        agent = f"user-{row.by_id}" if row.by_id else "bidra"
        if row.by_id:
            agents[agent] = (row.by.get_full_name() or row.by.get_username(), "person")
        event = _sub(root, f"{p}event")
        identifier(event, "event", f"statelog-{row.pk}")
        _sub(event, f"{p}eventType", row.transition)
        _sub(event, f"{p}eventDateTime", _iso(row.timestamp))
        detail = f"{row.content_type.app_label}.{row.content_type.model}:{row.object_id} "
        detail += f"{row.source_state or ''} → {row.state}"
        if row.description:
            detail += f": {row.description}"
        _sub(_sub(event, f"{p}eventDetailInformation"), f"{p}eventDetail", detail)
        linking(event, "Agent", agent)
    packaging = _sub(root, f"{p}event")
    identifier(packaging, "event", f"{package_id}-creation")
    _sub(packaging, f"{p}eventType", "creation")
    _sub(packaging, f"{p}eventDateTime", _iso(created))
    _sub(
        _sub(packaging, f"{p}eventDetailInformation"),
        f"{p}eventDetail",
        "E-ARK SIP created for the e-archive",
    )
    linking(packaging, "Agent", "bidra")
    linking(packaging, "Agent", f"municipality-{municipality.pk}")
    for packed in files:
        linking(packaging, "Object", packed.path)
    for key, (name, kind) in agents.items():
        agent = _sub(root, f"{p}agent")
        identifier(agent, "agent", key)
        _sub(agent, f"{p}agentName", name)
        _sub(agent, f"{p}agentType", kind)
    return _xml(root)


# --- METS.xml --------------------------------------------------------------------------------------


def _checksum_attrs(packed: PackedFile) -> dict:
    return {
        "MIMETYPE": packed.mimetype,
        "SIZE": packed.size,
        "CREATED": _iso(packed.created),
        "CHECKSUM": packed.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def mets_xml(
    *,
    package_id: str,
    label: str,
    municipality,
    created: dt.datetime,
    descriptive: PackedFile,
    preservation: PackedFile,
    files: list[PackedFile],
) -> bytes:
    m = f"{{{METS}}}"
    root = etree.Element(
        f"{m}mets", nsmap={"mets": METS, "xlink": XLINK, "xsi": XSI, "csip": CSIP, "sip": SIP}
    )
    root.set(f"{{{XSI}}}schemaLocation", METS_SCHEMA_LOCATION)
    root.set("OBJID", package_id)
    root.set("LABEL", label)
    root.set("TYPE", "Mixed")
    root.set("PROFILE", SIP_PROFILE)
    root.set(f"{{{CSIP}}}CONTENTINFORMATIONTYPE", CONTENT_INFORMATION_TYPE)

    header = _sub(root, f"{m}metsHdr", CREATEDATE=_iso(created), RECORDSTATUS="NEW")
    header.set(f"{{{CSIP}}}OAISPACKAGETYPE", "SIP")
    creator = _sub(header, f"{m}agent", ROLE="CREATOR", TYPE="ORGANIZATION")
    _sub(creator, f"{m}name", municipality.name)
    if getattr(municipality, "org_number", ""):
        note = _sub(creator, f"{m}note", municipality.org_number)
        note.set(f"{{{CSIP}}}NOTETYPE", "IDENTIFICATIONCODE")
    software = _sub(header, f"{m}agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(software, f"{m}name", "Bidra")
    note = _sub(software, f"{m}note", software_version())
    note.set(f"{{{CSIP}}}NOTETYPE", "SOFTWARE VERSION")

    def md_ref(parent, packed: PackedFile, mdtype: str, **extra):
        ref = _sub(parent, f"{m}mdRef", LOCTYPE="URL", MDTYPE=mdtype, **extra, **_checksum_attrs(packed))
        ref.set(f"{{{XLINK}}}type", "simple")
        ref.set(f"{{{XLINK}}}href", packed.path)
        return ref

    dmd = _sub(root, f"{m}dmdSec", ID="dmd-1", CREATED=_iso(created), STATUS="CURRENT")
    md_ref(dmd, descriptive, "OTHER", OTHERMDTYPE="ERMS")
    amd = _sub(root, f"{m}amdSec", ID="amd-1")
    digiprov = _sub(amd, f"{m}digiprovMD", ID="premis-1", CREATED=_iso(created), STATUS="CURRENT")
    md_ref(digiprov, preservation, "PREMIS")

    file_sec = _sub(root, f"{m}fileSec", ID="filesec-1")
    group = _sub(file_sec, f"{m}fileGrp", ID="grp-rep1", USE="Representations/rep1")
    for number, packed in enumerate(files, start=1):
        element = _sub(group, f"{m}file", ID=f"file-{number}", **_checksum_attrs(packed))
        location = _sub(element, f"{m}FLocat", LOCTYPE="URL")
        location.set(f"{{{XLINK}}}type", "simple")
        location.set(f"{{{XLINK}}}href", packed.path)

    struct_map = _sub(root, f"{m}structMap", ID="structmap-1", TYPE="PHYSICAL", LABEL="CSIP")
    package_div = _sub(struct_map, f"{m}div", ID="div-package", LABEL=package_id)
    _sub(package_div, f"{m}div", ID="div-metadata", LABEL="Metadata", DMDID="dmd-1", ADMID="premis-1")
    representation = _sub(package_div, f"{m}div", ID="div-rep1", LABEL="Representations/rep1")
    for number, _packed in enumerate(files, start=1):
        _sub(representation, f"{m}fptr", FILEID=f"file-{number}")
    return _xml(root)


# --- the package -----------------------------------------------------------------------------------


def _read(archive_file: ArchiveFile) -> bytes:
    with archive_file.file.open("rb") as handle:
        return handle.read()


def package_build(*, case, adapter: ArchiveAdapter, package_id: str | None = None) -> Package:
    """The E-ARK SIP of ``case``, as the bytes of a zip."""
    created = timezone.now()
    package_id = package_id or f"bidra-{adapter.slug}-{case.pk}-{uuid.uuid4().hex[:12]}"
    description = adapter.describe(case)
    municipality = description.committee.municipality
    data_files = []
    for archive_file in adapter.files(case):
        data_files.append(
            PackedFile(
                path=f"{DATA}{archive_file.name}",
                data=_read(archive_file),
                mimetype=archive_file.mimetype,
                created=archive_file.created or created,
                title=archive_file.title,
            )
        )
    log = state_log(adapter.logged_objects(case))
    descriptive = PackedFile(
        DESCRIPTIVE,
        descriptive_xml(description, data_files, log, package_id=package_id, created=created),
        "text/xml",
        created,
        "arende.xml",
    )
    preservation = PackedFile(
        PRESERVATION,
        premis_xml(
            package_id=package_id, files=data_files, log=log, municipality=municipality, created=created
        ),
        "text/xml",
        created,
        "premis.xml",
    )
    label = f"{description.case_number} {description.title}".strip()
    mets = PackedFile(
        "METS.xml",
        mets_xml(
            package_id=package_id,
            label=label,
            municipality=municipality,
            created=created,
            descriptive=descriptive,
            preservation=preservation,
            files=data_files,
        ),
        "text/xml",
        created,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for packed in (mets, descriptive, preservation, *data_files):
            archive.writestr(f"{package_id}/{packed.path}", packed.data)
    return Package(
        package_id=package_id, data=buffer.getvalue(), files=[mets, descriptive, preservation, *data_files]
    )
