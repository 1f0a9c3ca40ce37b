"""The records drawback is computed from: import entry lines, exports, production, prior claims.

Field names follow the data content of a drawback entry (19 CFR 190.51(a)(2)(viii), (xi),
(xii)). Quantities and money are `Decimal`; codes are digits only (no dots).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ClaimType(StrEnum):
    """The drawback provision a claim is made under (19 U.S.C. 1313)."""

    A = "a"  # 1313(a) manufacturing, direct identification
    B = "b"  # 1313(b) manufacturing, substitution
    J1 = "j1"  # 1313(j)(1) unused merchandise, direct identification
    J2 = "j2"  # 1313(j)(2) unused merchandise, substitution
    C = "c"  # 1313(c) rejected merchandise

    @property
    def provision(self) -> str:
        return {
            "a": "1313(a)",
            "b": "1313(b)",
            "j1": "1313(j)(1)",
            "j2": "1313(j)(2)",
            "c": "1313(c)",
        }[self.value]

    @property
    def substitution(self) -> bool:
        """Substitution claims: per-unit averaging and the lesser-of rule (190.22, 190.32)."""
        return self in (ClaimType.B, ClaimType.J2)

    @property
    def manufacturing(self) -> bool:
        return self in (ClaimType.A, ClaimType.B)


class ExportDisposition(StrEnum):
    """How the merchandise a drawback claim names left the commerce of the United States
    (not the zone ledger's `ShipmentDisposition`)."""

    EXPORT = "export"
    DESTRUCTION = "destruction"  # under CBP supervision, 190.71
    ZONE_RESTRICTED = "zone_restricted"  # deemed export, 190.181-190.186


@dataclass(frozen=True)
class ImportLine:
    """One line of a consumption entry summary: what was paid on it, per component.

    `duty` is the ordinary (column 1 / special) duty. `mpf` is the merchandise processing
    fee paid on the whole entry (apportioned to lines by relative value, 190.51(b)(2)).
    """

    entry_no: str
    line: int
    import_date: date
    hts: str
    quantity: Decimal
    unit: str
    value: Decimal
    duty: Decimal
    duty_301: Decimal = Decimal(0)
    duty_232: Decimal = Decimal(0)
    duty_122: Decimal = Decimal(0)
    duty_ieepa: Decimal = Decimal(0)
    duty_ieepa_reciprocal: Decimal = Decimal(0)
    duty_ieepa_fentanyl: Decimal = Decimal(0)
    duty_adcvd: Decimal = Decimal(0)
    mpf: Decimal | None = None
    hmf: Decimal = Decimal(0)
    origin: str | None = None
    part: str | None = None
    importer: str | None = None
    row: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.entry_no, self.line)


@dataclass(frozen=True)
class Export:
    """An export, destruction or zone-restricted admission (a deemed export, 190.181)."""

    export_ref: str
    export_date: date
    hts: str
    quantity: Decimal
    unit: str
    value: Decimal
    schedule_b: str | None = None
    part: str | None = None
    destination: str | None = None
    disposition: ExportDisposition = ExportDisposition.EXPORT
    origin: str | None = None
    notice_date: date | None = None  # CBP Form 7553 filed on (190.35), when known
    row: int | None = None
    # Duty paid to Canada or Mexico on the exported good, in USD (190.51(a)(2)(xv)): the
    # limit of drawback on a USMCA export (19 U.S.C. 4534; 19 CFR 182.44). None: not given.
    foreign_duty: Decimal | None = None
    # The claimant certifies the good left in the same condition as imported
    # (190.51(a)(2)(xv)): not a "good subject to USMCA drawback" (4534(a)(2)).
    same_condition: bool = False

    @property
    def usmca(self) -> bool:
        """Exported to Canada or Mexico (a USMCA country; 19 CFR part 182 subpart E).

        Destruction and deemed exports (zone-restricted admission) are not exports to a
        country, whatever `destination` says.
        """
        return self.disposition is ExportDisposition.EXPORT and self.destination in USMCA_COUNTRIES


USMCA_COUNTRIES = frozenset({"CA", "MX"})


@dataclass(frozen=True)
class ProductionInput:
    """One input line of a production record (bill of materials actually used, 190.26).

    `input_value` is the cost of acquisition of the input quantity (190.11(d)); it is needed
    for the 1313(b) lesser-of comparison only.
    """

    production_ref: str
    date: date
    product_part: str
    product_qty: Decimal
    input_part: str | None
    input_hts: str | None
    input_qty: Decimal
    input_value: Decimal | None = None
    row: int | None = None


@dataclass(frozen=True)
class PriorDesignation:
    """Import quantity already designated on an earlier claim (190.51(a)(3)): never again."""

    entry_no: str
    line: int
    quantity: Decimal
    claim_no: str
    row: int | None = None
    claim_type: ClaimType | None = None  # when known: 190.51(a)(3) keeps a line to one basis
