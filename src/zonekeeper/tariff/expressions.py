"""Duty expressions: a rate of duty as a list of components evaluated against a basis.

The HTSUS states rates of duty as ad valorem (a percentage of the customs value, 19 USC 1401a),
specific (an amount per unit of quantity), or compound (both), sometimes on a part of the
goods (its copper content, the watch case, the drained weight) and sometimes with a minimum
(the sugar degree formula of chapter 17). Following the UK trade-tariff duty-expression model,
a `Rate` is a tuple of components; each component says what it needs from the `Basis`
(value, a quantity in a canonical unit, or a content key) and computes its part of the duty.
Amounts are unrounded `Decimal` US dollars; rounding to the cent happens once, in `duty`.

Content keys (`Basis.content`) are named after the thing the rate is levied on:
- value of a part or content, in USD: the bare subject — `copper`, `lead`, `aluminum`,
  `steel`, `case`, `strap`, `battery`, `movement`, `fair_retail_value`, ...;
- a quantity of content: the subject and the unit — `copper_kg`, `drained_kg`,
  `total_sugars_kg`, `gross_t` (weight including the container), ...
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Literal

from zonekeeper.errors import CannotCompute
from zonekeeper.tariff.units import convert

_EMPTY: Mapping[str, Decimal] = MappingProxyType({})
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Basis:
    """What a duty is computed on: customs value (USD), quantities and content."""

    value: Decimal
    quantities: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY)
    content: Mapping[str, Decimal] = field(default_factory=lambda: _EMPTY)


@dataclass(frozen=True)
class AdValorem:
    """`pct` percent of the customs value, or of the value of content/part `of` (USD)."""

    pct: Decimal
    of: str | None = None

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({self.of}) if self.of else frozenset()

    def amount(self, basis: Basis, text: str) -> Decimal:
        if self.of is None:
            return basis.value * self.pct / HUNDRED
        if self.of not in basis.content:
            raise CannotCompute(
                f"rate {text!r} needs the value of the {self.of.replace('_', ' ')} in USD "
                f"(content key {self.of!r})"
            )
        return basis.content[self.of] * self.pct / HUNDRED


@dataclass(frozen=True)
class Specific:
    """`amount` USD per `unit`; on content `of` (`copper` -> content key `copper_kg`).

    `over` counts only the units above a threshold (jewels over 17 in a watch movement).
    """

    amount_per_unit: Decimal
    unit: str
    of: str | None = None
    over: Decimal | None = None

    @property
    def key(self) -> str:
        return f"{self.of}_{self.unit}" if self.of else self.unit

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({self.key})

    def quantity(self, basis: Basis, text: str) -> Decimal:
        if self.of:
            prefix = f"{self.of}_"
            found = convert({k[len(prefix):]: v for k, v in basis.content.items()
                             if k.startswith(prefix)}, self.unit)
            if found is None:
                raise CannotCompute(
                    f"rate {text!r} needs the {self.of.replace('_', ' ')} content in "
                    f"{self.unit} (content key {self.key!r})"
                )
            return found
        found = convert(basis.quantities, self.unit)
        if found is None:
            raise CannotCompute(f"rate {text!r} needs the quantity in {self.unit}")
        return found

    def amount(self, basis: Basis, text: str) -> Decimal:
        quantity = self.quantity(basis, text)
        if self.over is not None:
            quantity = max(quantity - self.over, Decimal(0))
        return self.amount_per_unit * quantity


@dataclass(frozen=True)
class SugarDegree:
    """Sugar degree formula (HTSUS ch. 17, e.g. 1701.12.50): a rate per unit reduced per degree
    of polarity under `reference_degrees` (fractions in proportion), but not less than `floor`.

    Needs the quantity in `unit` and the polarimeter reading as quantity `degrees`.
    """

    base: Decimal
    per_degree: Decimal
    reference_degrees: Decimal
    floor: Decimal
    unit: str

    @property
    def needs(self) -> frozenset[str]:
        return frozenset({self.unit, "degrees"})

    def amount(self, basis: Basis, text: str) -> Decimal:
        quantity = convert(basis.quantities, self.unit)
        if quantity is None:
            raise CannotCompute(f"rate {text!r} needs the quantity in {self.unit}")
        degrees = basis.quantities.get("degrees")
        if degrees is None:
            raise CannotCompute(
                f"rate {text!r} needs the polarimeter reading (quantity 'degrees')"
            )
        under = max(self.reference_degrees - degrees, Decimal(0))
        per_unit = max(self.base - self.per_degree * under, self.floor)
        return per_unit * quantity


# One term of a rate expression ('3.5% + 2.2c/kg' has two); not a duty quote's priced
# `duty.DutyComponent`.
RateTerm = AdValorem | Specific | SugarDegree

RateKind = Literal["free", "expression", "additional", "reference", "unparsed", "empty"]


@dataclass(frozen=True)
class Rate:
    """A parsed rate-of-duty text.

    kind:
    - `free`: duty-free (possibly with a condition in `note`, e.g. "under bond");
    - `expression`: the sum of `components`;
    - `additional`: Chapter 99 text "The duty provided in the applicable subheading + ...":
      `amount` is only the additional part, to be added to the goods' own rate;
    - `reference`: the rate is defined elsewhere ("See 9822.04.01", "The rate applicable to
      each garment ..."); `amount` raises CannotCompute naming `reference`;
    - `unparsed`: text the parser does not understand; `amount` raises CannotCompute;
    - `empty`: no rate printed.
    `cap_key`: a content key that, when supplied, caps the duty (the watch-movement clause
    "shall not exceed the duty for the complete movement").
    """

    text: str
    kind: RateKind = "expression"
    components: tuple[RateTerm, ...] = ()
    reference: str | None = None
    note: str | None = None
    cap_key: str | None = None

    @property
    def computable(self) -> bool:
        """False only for text the parser could not read (and for an empty rate)."""
        return self.kind not in ("unparsed", "empty")

    @property
    def is_free(self) -> bool:
        return self.kind == "free"

    @property
    def adds_to_base(self) -> bool:
        """True for Chapter 99 additive text: add `amount` to the goods' own duty."""
        return self.kind == "additional"

    @property
    def needs(self) -> frozenset[str]:
        """Quantity units and content keys the rate needs beyond the customs value."""
        out: frozenset[str] = frozenset()
        for component in self.components:
            out |= component.needs
        return out

    @property
    def is_ad_valorem_only(self) -> bool:
        return bool(self.components) and all(
            isinstance(c, AdValorem) and c.of is None for c in self.components
        )

    @property
    def ad_valorem_pct(self) -> Decimal | None:
        """The percentage when the rate is a plain ad valorem rate (or Free: 0), else None."""
        if self.kind == "free":
            return Decimal(0)
        if self.kind in ("expression", "additional") and self.is_ad_valorem_only:
            return sum((c.pct for c in self.components if isinstance(c, AdValorem)), Decimal(0))
        return None

    def amount(self, basis: Basis) -> Decimal:
        """The unrounded duty in USD; CannotCompute with the reason when it cannot be had."""
        if self.kind == "free":
            return Decimal(0)
        if self.kind == "reference":
            raise CannotCompute(
                f"rate {self.text!r} is defined by reference: see {self.reference}"
            )
        if self.kind == "unparsed":
            raise CannotCompute(f"cannot compute automatically: {self.text}")
        if self.kind == "empty":
            raise CannotCompute("no rate of duty is printed for this line")
        total = sum((c.amount(basis, self.text) for c in self.components), Decimal(0))
        if self.cap_key is not None and self.cap_key in basis.content:
            total = min(total, basis.content[self.cap_key])
        return total

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class SpecialGroup:
    """One rate of the Special column and the program indicators (SPI) it applies to."""

    rate: Rate
    programs: tuple[str, ...]


@dataclass(frozen=True)
class SpecialRates(Mapping[str, Rate]):
    """The Special rate column (HTSUS General Note 3(c)): a rate for each SPI code.

    Keys are the indicators exactly as printed (`A`, `A+`, `A*`, `AU`, `S+`, ...).
    `unassigned` holds a rate printed without program indicators (Chapter 98/99 lines).
    """

    text: str = ""
    groups: tuple[SpecialGroup, ...] = ()
    unassigned: Rate | None = None

    def _lookup(self) -> dict[str, Rate]:
        return {code: g.rate for g in self.groups for code in g.programs}

    def __getitem__(self, spi: str) -> Rate:
        for group in self.groups:
            if spi in group.programs:
                return group.rate
        raise KeyError(spi)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lookup())

    def __len__(self) -> int:
        return len(self._lookup())

    def rates(self) -> tuple[Rate, ...]:
        """Every rate in the column, including the unassigned one."""
        out = tuple(g.rate for g in self.groups)
        return out + ((self.unassigned,) if self.unassigned is not None else ())

    @property
    def computable(self) -> bool:
        return all(r.computable for r in self.rates())

    def __str__(self) -> str:
        return self.text

    # Mapping's __eq__ compares items; keep dataclass identity semantics cheap and exact.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpecialRates) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)
