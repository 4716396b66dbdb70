"""Reading an archive package back as the e-archive would: schemas, checksums, contents."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

SCHEMA = Path(__file__).parent / "schema"
NS = {
    "mets": "http://www.loc.gov/METS/",
    "xlink": "http://www.w3.org/1999/xlink",
    "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS",
    "premis": "http://www.loc.gov/premis/v3",
    "erms": "https://DILCIS.eu/XML/ERMS",
}

_WRAPPER = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:bidra:tests:mets-csip">
  <xs:import namespace="http://www.w3.org/1999/xlink" schemaLocation="{(SCHEMA / "xlink.xsd").as_uri()}"/>
  <xs:import namespace="http://www.loc.gov/METS/" schemaLocation="{(SCHEMA / "mets.xsd").as_uri()}"/>
  <xs:import namespace="https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
             schemaLocation="{(SCHEMA / "DILCISExtensionMETS.xsd").as_uri()}"/>
  <xs:import namespace="https://DILCIS.eu/XML/METS/SIPExtensionMETS"
             schemaLocation="{(SCHEMA / "DILCISExtensionSIPMETS.xsd").as_uri()}"/>
</xs:schema>"""

_schemas: dict[str, etree.XMLSchema] = {}


def mets_schema() -> etree.XMLSchema:
    """METS 1.12 with xlink and the CSIP/SIP extension attributes, from the files in schema/
    (no network: the parser may not fetch the addresses the schemas name)."""
    if "mets" not in _schemas:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _schemas["mets"] = etree.XMLSchema(etree.fromstring(_WRAPPER.encode(), parser))
    return _schemas["mets"]


def erms_schema() -> etree.XMLSchema:
    """E-ARK CITS ERMS v3 (the schema of FGS Ärendehantering's case description), from schema/."""
    if "erms" not in _schemas:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        _schemas["erms"] = etree.XMLSchema(etree.parse(str(SCHEMA / "ERMS_v3.xsd"), parser))
    return _schemas["erms"]


@dataclass
class ReadPackage:
    package_id: str
    names: dict[str, bytes]

    def read(self, path: str) -> bytes:
        return self.names[f"{self.package_id}/{path}"]

    def xml(self, path: str):
        return etree.fromstring(self.read(path))

    @property
    def mets(self):
        return self.xml("METS.xml")


def open_package(data: bytes) -> ReadPackage:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {name: archive.read(name) for name in archive.namelist()}
    roots = {name.split("/", 1)[0] for name in names}
    assert len(roots) == 1, f"a package is one folder, not {roots}"
    return ReadPackage(roots.pop(), names)


def check_package(data: bytes) -> ReadPackage:
    """Validate METS.xml against the schemas and every file against its METS checksum and size;
    return the package for further questions."""
    package = open_package(data)
    mets = package.mets
    mets_schema().assertValid(mets)
    assert mets.get("OBJID") == package.package_id
    referenced = set()
    for element in mets.iterfind(".//mets:file", NS):
        href = element.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href")
        referenced.add(href)
        _check(package, href, element)
    for element in mets.iterfind(".//mets:mdRef", NS):
        href = element.get(f"{{{NS['xlink']}}}href")
        referenced.add(href)
        _check(package, href, element)
    in_zip = {name.split("/", 1)[1] for name in package.names}
    assert in_zip - {"METS.xml"} == referenced, "every file of the package is listed in METS.xml"
    _check_erms(package, mets)
    return package


def _check_erms(package: ReadPackage, mets) -> None:
    """The case description METS names is valid CITS ERMS, and each of its records points at a
    file of METS's fileSec with the checksum and size METS gives it."""
    (ref,) = mets.iterfind("mets:dmdSec/mets:mdRef[@OTHERMDTYPE='ERMS']", NS)
    erms = package.xml(ref.get(f"{{{NS['xlink']}}}href"))
    erms_schema().assertValid(erms)
    files = {
        element.find("mets:FLocat", NS).get(f"{{{NS['xlink']}}}href"): element
        for element in mets.iterfind(".//mets:file", NS)
    }
    records = erms.findall("erms:aggregations/erms:aggregation/erms:record", NS)
    assert len(records) == len(files), "every file of the package is a record of the case"
    for record in records:
        path = record.find("erms:additionalInformation/erms:appendix", NS).get("path")
        assert record.findtext("erms:objectId", namespaces=NS) == path
        assert erms_own(record, "checksum") == files[path].get("CHECKSUM"), path
        assert erms_own(record, "size") == files[path].get("SIZE"), path


def erms_case(package: ReadPackage):
    """The case (the ERMS aggregation) of the package's description."""
    erms = package.xml("metadata/descriptive/arende.xml")
    (case,) = erms.iterfind("erms:aggregations/erms:aggregation[@aggregationType='caseFile']", NS)
    return case


def erms_own(element, name: str) -> str | None:
    """A value of Bidra's own fields (``additionalInformation/ownElement``) of an aggregation or record."""
    return element.findtext(
        f"erms:additionalInformation/erms:ownElement/erms:ownElement[@name='{name}']/erms:value",
        namespaces=NS,
    )


def _check(package: ReadPackage, href: str, element) -> None:
    data = package.read(href)
    assert element.get("CHECKSUMTYPE") == "SHA-256"
    assert element.get("CHECKSUM") == hashlib.sha256(data).hexdigest(), href
    assert int(element.get("SIZE")) == len(data), href
    assert element.get("MIMETYPE") and element.get("CREATED")


def premis_fixity(package: ReadPackage) -> dict[str, str]:
    premis = package.xml("metadata/preservation/premis.xml")
    assert premis.get("version") == "3.0"
    return {
        obj.findtext("premis:objectIdentifier/premis:objectIdentifierValue", namespaces=NS): obj.findtext(
            "premis:objectCharacteristics/premis:fixity/premis:messageDigest", namespaces=NS
        )
        for obj in premis.iterfind("premis:object", NS)
    }
