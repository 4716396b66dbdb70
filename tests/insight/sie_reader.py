"""A small SIE 4 reader, written from the SIE 4 specification (SIE-Gruppen, format 4B), not from
Bidra's writer: it reads a file back as a receiving ledger would and says what is wrong with it.

What it checks: PC8 (code page 437) text with CR LF line ends; every line a label (``#FLAGGA``, …)
or a brace of a verification; strings in quotes with ``\\"`` for a quote; the labels a type 4I
file needs, in the order the specification gives; dates as YYYYMMDD; amounts with at most two
decimals; every #TRANS inside a #VER's braces, on an account declared with #KONTO, with an
object list whose dimensions are declared with #DIM; every verification balanced (its
transactions add up to zero).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")
REQUIRED = ["#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#FNAMN"]
#: the order the specification gives for the identification and chart-of-accounts labels
SPEC_ORDER = [
    "#FLAGGA",
    "#PROGRAM",
    "#FORMAT",
    "#GEN",
    "#SIETYP",
    "#PROSA",
    "#FTYP",
    "#FNR",
    "#ORGNR",
    "#BKOD",
    "#ADRESS",
    "#FNAMN",
    "#RAR",
    "#TAXAR",
    "#OMFATTN",
    "#KPTYP",
    "#VALUTA",
    "#KONTO",
    "#DIM",
    "#OBJEKT",
    "#VER",
]


class SieError(ValueError):
    pass


def tokens(line: str) -> list:
    """Split a line into fields: bare words, quoted strings, and {…} object lists (as lists)."""
    out: list = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in " \t":
            i += 1
        elif ch == '"':
            i += 1
            text = []
            while True:
                if i >= n:
                    raise SieError(f"unterminated string: {line}")
                if line[i] == "\\" and i + 1 < n and line[i + 1] == '"':
                    text.append('"')
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    text.append(line[i])
                    i += 1
            out.append("".join(text))
        elif ch == "{":
            end = line.find("}", i)
            if end < 0:
                raise SieError(f"unterminated object list: {line}")
            out.append(tokens(line[i + 1 : end]))
            i = end + 1
        else:
            start = i
            while i < n and line[i] not in " \t":
                i += 1
            out.append(line[start:i])
    return out


def date(value: str) -> dt.date:
    if not re.fullmatch(r"[0-9]{8}", value):
        raise SieError(f"not a date: {value!r}")
    return dt.datetime.strptime(value, "%Y%m%d").date()


@dataclass
class Trans:
    account: str
    objects: dict[str, str]
    amount: Decimal


@dataclass
class Ver:
    series: str
    number: str
    date: dt.date
    text: str
    transactions: list[Trans] = field(default_factory=list)


@dataclass
class SieFile:
    labels: dict[str, list] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    dimensions: dict[str, str] = field(default_factory=dict)
    objects: dict[tuple[str, str], str] = field(default_factory=dict)
    verifications: list[Ver] = field(default_factory=list)


def read(content: bytes) -> SieFile:
    text = content.decode("cp437")
    if not text.endswith("\r\n") or "\n" in text.replace("\r\n", ""):
        raise SieError("lines must end with CR LF")
    result = SieFile()
    order: list[str] = []
    current: Ver | None = None
    in_braces = False
    for line in text.split("\r\n")[:-1]:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped == "{":
            if current is None or in_braces:
                raise SieError("{ without #VER")
            in_braces = True
            continue
        if stripped == "}":
            if not in_braces:
                raise SieError("} without {")
            in_braces, current = False, None
            continue
        fields = tokens(stripped)
        label = fields[0]
        if not re.fullmatch(r"#[A-Z]+", label):
            raise SieError(f"not a label: {line!r}")
        order.append(label)
        if label == "#TRANS":
            if not in_braces or current is None:
                raise SieError("#TRANS outside a verification")
            account, objects, amount = fields[1], fields[2], fields[3]
            if not isinstance(objects, list) or len(objects) % 2:
                raise SieError(f"bad object list: {line!r}")
            if not AMOUNT.match(amount):
                raise SieError(f"bad amount: {amount!r}")
            current.transactions.append(
                Trans(account, dict(zip(objects[::2], objects[1::2], strict=True)), Decimal(amount))
            )
            continue
        if in_braces:
            raise SieError(f"{label} inside a verification")
        if label == "#VER":
            current = Ver(fields[1], fields[2], date(fields[3]), fields[4] if len(fields) > 4 else "")
            result.verifications.append(current)
        elif label == "#KONTO":
            if not re.fullmatch(r"[0-9]+", fields[1]):
                raise SieError(f"bad account: {fields[1]!r}")
            result.accounts[fields[1]] = fields[2]
        elif label == "#DIM":
            result.dimensions[fields[1]] = fields[2]
        elif label == "#OBJEKT":
            result.objects[(fields[1], fields[2])] = fields[3]
        else:
            result.labels[label] = fields[1:]
    if in_braces:
        raise SieError("a verification is not closed")
    firsts = [
        order.index(label) if label in order else -1
        for label in SPEC_ORDER
        if label in order or label in REQUIRED
    ]
    if -1 in firsts or firsts != sorted(firsts):
        raise SieError(f"labels missing or out of the specification's order: {order[:12]}")
    if order[0] != "#FLAGGA":
        raise SieError("the file must start with #FLAGGA")
    if result.labels["#FORMAT"] != ["PC8"] or result.labels["#SIETYP"] != ["4"]:
        raise SieError("not a PC8 SIE 4 file")
    date(result.labels["#GEN"][0])
    for ver in result.verifications:
        if sum((t.amount for t in ver.transactions), Decimal(0)) != 0:
            raise SieError(f"verification {ver.text!r} does not balance")
        for t in ver.transactions:
            if t.account not in result.accounts:
                raise SieError(f"account {t.account} is not declared")
            for dim, obj in t.objects.items():
                if dim not in result.dimensions:
                    raise SieError(f"dimension {dim} is not declared")
                if result.objects and (dim, obj) not in result.objects:
                    raise SieError(f"object {dim} {obj} is not declared")
    return result
