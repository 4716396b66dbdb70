"""The payment file for the bank: ISO 20022 ``pain.001.001.03`` (customer credit transfer initiation).

Written the way Swedish banks take domestic payments to Bankgiro and PlusGiro payees in their
implementation guides: the payee's Bankgiro number as ``CdtrAcct/Id/Othr/Id`` with the proprietary
scheme ``BGNR`` (creditor agent: the clearing member 9900 of ``SESBA``), a PlusGiro number with
the scheme code ``BBAN`` (clearing member 9960); the amount in SEK with two decimals; the case
number as the unstructured remittance information (``Ustrd``).  The debtor is the municipality:
its payment account (IBAN) and bank (BIC), configured on the municipality.

Every file is checked against the official XSD before it leaves Bidra; a file that does not
pass is not made (``PaymentFileError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "pain.001.001.03.xsd"

#: the largest amount the format carries with two decimals (18 digits in all)
AMOUNT_LIMIT = Decimal("9999999999999999.99")

#: the clearing member (MmbId of SESBA, the Swedish clearing system) and the account scheme
CREDITOR_ACCOUNTS = {
    "bankgiro": {"member": "9900", "scheme": ("Prtry", "BGNR"), "pattern": r"^[0-9]{7,8}$"},
    "plusgiro": {"member": "9960", "scheme": ("Cd", "BBAN"), "pattern": r"^[0-9]{2,8}$"},
}


class PaymentFileError(Exception):
    """The payment file cannot be made; ``messages`` say why, in words a caseworker can act on."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Debtor:
    name: str
    org_number: str
    iban: str
    bic: str


@dataclass(frozen=True)
class Transfer:
    end_to_end_id: str
    amount: Decimal
    creditor_name: str
    account_type: str
    account_number: str
    remittance: str
    label: str  # how the caseworker knows the payment (case number and organisation), for messages


def amount_text(amount: Decimal) -> str:
    """SEK with two decimals, ``1234.50``."""
    return f"{amount.quantize(Decimal('0.01')):f}"


def transfer_problems(transfer: Transfer) -> list[str]:
    """Why this payment cannot go in a payment file; empty when it can."""
    problems = []
    amount = transfer.amount
    if not isinstance(amount, Decimal) or not amount.is_finite():
        problems.append(_("%(payment)s: the amount is not a number.") % {"payment": transfer.label})
    elif amount <= 0:
        problems.append(
            _("%(payment)s: the amount %(amount)s kr is not above zero.")
            % {"payment": transfer.label, "amount": amount}
        )
    elif amount != amount.quantize(Decimal("0.01")):
        problems.append(
            _("%(payment)s: the amount %(amount)s kr has more than two decimals.")
            % {"payment": transfer.label, "amount": amount}
        )
    elif amount > AMOUNT_LIMIT:
        problems.append(
            _("%(payment)s: the amount %(amount)s kr is larger than a payment file can carry.")
            % {"payment": transfer.label, "amount": amount}
        )
    account = CREDITOR_ACCOUNTS.get(transfer.account_type)
    if account is None or not transfer.account_number:
        problems.append(
            _("%(payment)s: there is no bankgiro or plusgiro account to pay to.")
            % {"payment": transfer.label}
        )
    elif not re.match(account["pattern"], transfer.account_number):
        problems.append(
            _("%(payment)s: the account number %(number)s is not a valid %(type)s number.")
            % {"payment": transfer.label, "number": transfer.account_number, "type": transfer.account_type}
        )
    return problems


def debtor_problems(debtor: Debtor) -> list[str]:
    problems = []
    if not debtor.iban:
        problems.append(
            _(
                "The municipality has no payment account (IBAN) to pay from. "
                "An administrator enters it on the municipality."
            )
        )
    if not debtor.bic:
        problems.append(
            _("The municipality's bank (BIC) is missing. An administrator enters it on the municipality.")
        )
    return problems


def _text(value: str, limit: int) -> str:
    """Text as the format takes it: one line, at most ``limit`` characters."""
    return " ".join(str(value).split())[:limit]


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def _path(parent, *tags: str, text: str | None = None):
    for tag in tags[:-1]:
        parent = _sub(parent, tag)
    return _sub(parent, tags[-1], text)


def build(
    *, message_id: str, created_at: datetime, execute_on: date, debtor: Debtor, transfers: list[Transfer]
) -> bytes:
    """The payment file as UTF-8 bytes, checked against the schema.

    Raises ``PaymentFileError`` with every problem found, before anything is made, when an amount
    does not fit, an account is missing, the municipality's account is not configured, or the
    file does not pass the schema.
    """
    problems = debtor_problems(debtor)
    for transfer in transfers:
        problems.extend(transfer_problems(transfer))
    if not transfers:
        problems.append(_("There is no payment to put in the file."))
    if problems:
        raise PaymentFileError(problems)
    total = sum((t.amount for t in transfers), Decimal(0))
    document = etree.Element(f"{{{NAMESPACE}}}Document", nsmap={None: NAMESPACE})
    initiation = _sub(document, "CstmrCdtTrfInitn")
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created_at.strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(header, "NbOfTxs", str(len(transfers)))
    _sub(header, "CtrlSum", amount_text(total))
    _path(header, "InitgPty", "Nm", text=_text(debtor.name, 70))

    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", _text(f"{message_id}-1", 35))
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(transfers)))
    _sub(info, "CtrlSum", amount_text(total))
    _path(info, "PmtTpInf", "SvcLvl", "Cd", text="NURG")
    _sub(info, "ReqdExctnDt", execute_on.isoformat())
    party = _sub(info, "Dbtr")
    _sub(party, "Nm", _text(debtor.name, 70))
    other = _path(party, "Id", "OrgId", "Othr")
    _sub(other, "Id", debtor.org_number)
    _path(other, "SchmeNm", "Cd", text="CUST")
    _path(info, "DbtrAcct", "Id", "IBAN", text=debtor.iban)
    _path(info, "DbtrAgt", "FinInstnId", "BIC", text=debtor.bic)
    _sub(info, "ChrgBr", "DEBT")

    for transfer in transfers:
        account = CREDITOR_ACCOUNTS[transfer.account_type]
        item = _sub(info, "CdtTrfTxInf")
        _path(item, "PmtId", "EndToEndId", text=_text(transfer.end_to_end_id, 35))
        _path(item, "Amt", "InstdAmt", text=amount_text(transfer.amount)).set("Ccy", "SEK")
        member = _path(item, "CdtrAgt", "FinInstnId", "ClrSysMmbId")
        _path(member, "ClrSysId", "Cd", text="SESBA")
        _sub(member, "MmbId", account["member"])
        _path(item, "Cdtr", "Nm", text=_text(transfer.creditor_name, 70))
        other = _path(item, "CdtrAcct", "Id", "Othr")
        _sub(other, "Id", transfer.account_number)
        kind, value = account["scheme"]
        _path(other, "SchmeNm", kind, text=value)
        _path(item, "RmtInf", "Ustrd", text=_text(transfer.remittance, 140))

    content = etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema_problems = validate(content)
    if schema_problems:
        raise PaymentFileError(
            [
                _("The payment file does not follow the pain.001 format: %(error)s")
                % {"error": schema_problems[0]}
            ]
        )
    return content


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(content: bytes) -> list[str]:
    """The schema's complaints about ``content``; empty when it is a valid pain.001.001.03 file."""
    checker = schema()
    try:
        document = etree.fromstring(content)
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    if checker.validate(document):
        return []
    return [f"{error.line}: {error.message}" for error in checker.error_log]
