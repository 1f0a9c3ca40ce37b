"""Units of quantity: the canonical keys rates and quantities are measured in.

The HTSUS writes the same unit many ways (`No.`, `each`, `pcs`; `m²` and `m2`; `pf. liter`,
`pf.liter`, `pf.liters`; `1000`, `1,000`, `thousand`). Rates (columns 1 and 2) and the
"Unit of Quantity" column (HTSUS General Note 1 and the statistical notes) are both normalised
to the keys of `UNITS` so that a quantity reported once can feed every rate that needs it.
Exact conversions inside one dimension (g/kg/t, each/doz./gross/thousand, pr./doz. prs.,
liter/m3, cm2/m2) let a quantity given in one unit serve a rate in another; inexact ones
(barrels, proof liters) are never guessed.

A user types the units of the line they are quoting, as the "Unit of Quantity" column prints
them (`cy kg`, `Mo kg`, `kg cmsc`, `W`). `read_unit` accepts every one of them and says what
the number is for: a quantity a rate can be levied on (`cy kg` is the clean yield the
`¢/clean kg` rates of chapter 51 need), a quantity of content (`Mo kg` is the
`molybdenum_kg` of `17.8¢/kg on molybdenum content`), or a unit the statistical notes ask
for that no rate of duty uses (`kg cmsc`, `W`): accepted and kept, never used as another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# canonical key -> what the quantity means
UNITS: Mapping[str, str] = {
    "kg": "kilograms (net weight unless the rate says otherwise)",
    "g": "grams",
    "t": "metric tons (1,000 kg)",
    "clean_kg": "kilograms, clean (scoured) weight of wool or hair",
    "each": "number of articles (No., pcs, each, per article)",
    "doz": "dozens",
    "gross": "gross (144 articles)",
    "hundred": "hundreds of articles",
    "thousand": "thousands of articles (rates per 1,000 / 1000 / thousand)",
    "pr": "pairs",
    "doz_pr": "dozen pairs",
    "liter": "liters",
    "pf_liter": "proof liters (liters of alcohol at 100 proof)",
    "m": "meters (linear)",
    "m2": "square meters (m² and m2)",
    "cm2": "square centimeters",
    "m3": "cubic meters",
    "bbl": "barrels",
    "head": "head of livestock",
    "jewel": "jewels (watch and clock movements)",
    "piece": "pieces or parts other than jewels (watch and clock movements)",
    "pack": "packs",
    "carat": "carats",
    "line_gross": "lines (button size, 1/40 inch) times gross of buttons",
    "degrees": "polarimeter degrees of a sugar (the sugar degree formula, chapter 17)",
    "thousand_m": "thousands of meters (linear)",
    "thousand_m3": "thousands of cubic meters",
}

# Spellings seen in the HTSUS, after lower-casing and squeezing spaces around dots.
_ALIASES: Mapping[str, str] = {
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gram": "g", "grams": "g",
    "t": "t", "ton": "t", "tons": "t",
    "clean kg": "clean_kg", "cy kg": "clean_kg", "clean yield kg": "clean_kg",
    "dz pcs": "doz", "doz. pcs.": "doz", "dozen pieces": "doz",
    "thousand m": "thousand_m", "thousand m3": "thousand_m3", "thousand m³": "thousand_m3",
    "no.": "each", "no": "each", "each": "each", "article": "each", "articles": "each",
    "pcs": "each", "pcs.": "each", "pc": "each", "pieces": "each",
    "doz.": "doz", "doz": "doz", "dozen": "doz",
    "gross": "gross",
    "hundreds": "hundred", "hundred": "hundred",
    "1000": "thousand", "1,000": "thousand", "thousand": "thousand", "thousands": "thousand",
    "1,000 pins": "thousand", "1000 pins": "thousand", "pins": "each",
    "pr.": "pr", "pr": "pr", "prs.": "pr", "prs": "pr", "pair": "pr", "pairs": "pr",
    "doz. prs.": "doz_pr", "doz.prs.": "doz_pr",
    "liter": "liter", "liters": "liter", "l": "liter", "litre": "liter", "litres": "liter",
    "pf. liter": "pf_liter", "pf.liter": "pf_liter", "pf. liters": "pf_liter",
    "pf.liters": "pf_liter", "proof liter": "pf_liter", "proof liters": "pf_liter",
    "m": "m", "lin. m": "m", "lin.m": "m", "meter": "m", "meters": "m",
    "m2": "m2", "m²": "m2", "cm2": "cm2", "cm²": "cm2",
    "m3": "m3", "m³": "m3",
    "bbl": "bbl", "bbl.": "bbl", "barrel": "bbl", "barrels": "bbl",
    "head": "head",
    "jewel": "jewel", "jewels": "jewel", "jwls.": "jewel", "jwls": "jewel",
    "other piece or part": "piece", "piece or part": "piece",
    "pack": "pack", "packs": "pack",
    "carat": "carat", "carats": "carat",
    "line/gross": "line_gross", "line/ gross": "line_gross", "gr.lines": "line_gross",
    "gr. lines": "line_gross",
    "degree": "degrees", "deg": "degrees", "deg.": "degrees", "°": "degrees",
    "polarity": "degrees", "polarimeter degrees": "degrees",
    "pf liter": "pf_liter", "pf liters": "pf_liter", "proof litre": "pf_liter",
    "proof litres": "pf_liter",
    "doz. pr.": "doz_pr", "doz pr": "doz_pr", "doz prs": "doz_pr", "dozen pairs": "doz_pr",
    "clean kilograms": "clean_kg",
}

# Exact conversions to a base unit within a dimension: unit -> (base unit, factor).
_DIMENSION: Mapping[str, tuple[str, Decimal]] = {
    "g": ("kg", Decimal("0.001")),
    "kg": ("kg", Decimal(1)),
    "t": ("kg", Decimal(1000)),
    "each": ("each", Decimal(1)),
    "doz": ("each", Decimal(12)),
    "gross": ("each", Decimal(144)),
    "hundred": ("each", Decimal(100)),
    "thousand": ("each", Decimal(1000)),
    "pr": ("pr", Decimal(1)),
    "doz_pr": ("pr", Decimal(12)),
    "liter": ("liter", Decimal(1)),
    "m3": ("liter", Decimal(1000)),
    "cm2": ("m2", Decimal("0.0001")),
    "m2": ("m2", Decimal(1)),
    # Livestock is counted in `No.` and some of it dutiable per head: one head is one animal.
    "head": ("each", Decimal(1)),
    "m": ("m", Decimal(1)),
    "thousand_m": ("m", Decimal(1000)),
    "thousand_m3": ("liter", Decimal(1_000_000)),
}

# Units of Quantity that count a content of the goods (HTSUS General Statistical Note 2: the
# element's symbol before the unit; `amc` anhydrous morphine content, `ttl sug` total
# sugars): the quantity is read as the content key a rate "on ... content" uses
# (`tariff.expressions.Specific`), so `Mo kg` feeds `17.8¢/kg on molybdenum content`.
_CONTENT: Mapping[str, str] = {
    "ag g": "silver_g", "au g": "gold_g", "co kg": "cobalt_kg", "cr kg": "chromium_kg",
    "cr2o3 t": "chromic_oxide_t", "cu kg": "copper_kg", "ir g": "iridium_g",
    "mg kg": "magnesium_kg", "mn kg": "manganese_kg", "mo kg": "molybdenum_kg",
    "nh3 t": "ammonia_t", "naoh kg": "sodium_hydroxide_kg", "ni kg": "nickel_kg",
    "os g": "osmium_g", "pb kg": "lead_kg", "pd g": "palladium_g", "pt g": "platinum_g",
    "rh g": "rhodium_g", "ru g": "ruthenium_g", "sb kg": "antimony_kg", "si kg": "silicon_kg",
    "sn t": "tin_t", "v kg": "vanadium_kg", "v2o5 kg": "vanadium_pentoxide_kg",
    "w kg": "tungsten_kg", "zn kg": "zinc_kg", "kg amc": "anhydrous_morphine_kg",
    "kg ttl sug": "total_sugars_kg",
}
CONTENT_UNITS: frozenset[str] = frozenset(_CONTENT.values())
"""Content quantity keys a Unit of Quantity names (`copper_kg`, ...): a quantity given in one
of them is content of the goods (`Basis.content`), not a count of the goods."""

# Units of Quantity that no rate of duty is levied on: statistical reporting units (HTSUS
# General Statistical Note 2). Accepted and kept under their own key, never converted into a
# unit a rate uses: kilograms of milk solids are not kilograms of the goods.
REPORTING_UNITS: Mapping[str, str] = {
    "kg_cmsc": "kilograms on the basis of milk solids content (kg cmsc: dairy and goods "
    "containing it, chapters 4 and 15-22)",
    "kg_msc": "kilograms of milk solids content (milk protein, chapter 35)",
    "t_adw": "metric tons, air-dry weight (wood pulp)",
    "t_dwb": "metric tons, dry weight basis (wood chips)",
    "watt": "watts of output or power (W: motors, batteries, photovoltaic cells)",
    "mwh": "megawatt hours (electrical energy)",
    "gbq": "gigabecquerels (radioactive elements)",
    "doses": "doses (animal semen)",
    "square": "squares of roofing (100 square feet)",
    "fiber_m": "meters of optical fiber (Fiber m)",
    "no_and_kg": "number and kilograms, both reported (No. and kg): give each with its own "
    "unit (No., kg) where a rate needs one",
}
_REPORTING_ALIASES: Mapping[str, str] = {
    "kg cmsc": "kg_cmsc", "kg msc": "kg_msc", "t adw": "t_adw", "t dwb": "t_dwb",
    "w": "watt", "watts": "watt", "mwh": "mwh", "gbq": "gbq", "doses": "doses",
    "dose": "doses", "square": "square", "squares": "square", "fiber m": "fiber_m",
    "no. and kg": "no_and_kg", "no and kg": "no_and_kg",
}


@dataclass(frozen=True)
class QuantityUnit:
    """What a unit a user typed means: its key and what the quantity is for.

    `use` is `rate` (a key of `UNITS`, in `Basis.quantities`), `content` (a content quantity
    key such as `molybdenum_kg`, read by rates "on ... content") or `reporting` (a
    statistical unit no rate uses: kept, never converted).
    """

    key: str
    use: Literal["rate", "content", "reporting"]

    @property
    def meaning(self) -> str:
        if self.use == "rate":
            return UNITS[self.key]
        if self.use == "reporting":
            return REPORTING_UNITS[self.key]
        subject, _, unit = self.key.rpartition("_")
        return f"{UNITS[unit]} of {subject.replace('_', ' ')} content"


QUANTITY_KEYS: frozenset[str] = frozenset(UNITS) | CONTENT_UNITS | frozenset(REPORTING_UNITS)
"""Every key a quantity of `duty.LineItem` may be given in (see `read_unit`)."""


def _squeeze(text: str) -> str:
    text = text.strip().lower()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\.\s+(?=\w)", ". ", text)


def unit_key(text: str) -> str | None:
    """The canonical key of a unit as written in a rate, a Unit of Quantity or by a user;
    None if unknown. Every key of `UNITS` is accepted as itself (`degrees`, `pf_liter`,
    `doz_pr`, `clean_kg`, ...), with `-` or a space for `_` too, so that the unit an error
    message names can be typed back as it is."""
    squeezed = _squeeze(text)
    found = _ALIASES.get(squeezed) or _ALIASES.get(squeezed.replace(" ", ""))
    if found is not None:
        return found
    slug = re.sub(r"[\s\-]+", "_", squeezed)
    return slug if slug in UNITS else None


def read_unit(text: str) -> QuantityUnit | None:
    """The meaning of a unit a user typed (`--qty`, an entry file's `unit` or `qty_<unit>`
    column, a drawback file): every Unit of Quantity of the schedule and every spelling of
    `unit_key`, or a key of `QUANTITY_KEYS` as itself (so that a key an output names can be
    typed back); None if unknown."""
    key = unit_key(text)
    if key is not None:
        return QuantityUnit(key, "rate")
    squeezed = _squeeze(text)
    slug = re.sub(r"[\s\-]+", "_", squeezed)
    content = _CONTENT.get(squeezed) or (slug if slug in CONTENT_UNITS else None)
    if content is not None:
        return QuantityUnit(content, "content")
    reporting = _REPORTING_ALIASES.get(squeezed) or (slug if slug in REPORTING_UNITS else None)
    if reporting is not None:
        return QuantityUnit(reporting, "reporting")
    return None


def quantity_unit_key(text: str) -> str:
    """Key for a Unit of Quantity entry: canonical when known, else a stable slug.

    Statistical units such as `Cu kg` (kg of copper content) or `kg cmsc` are kept as slugs
    (`cu_kg`, `kg_cmsc`) so that they stay distinct from plain kilograms.
    """
    known = read_unit(text)
    if known is not None:
        return known.key
    return re.sub(r"[^0-9a-z²³]+", "_", text.strip().lower()).strip("_")


def convert(quantities: Mapping[str, Decimal], unit: str) -> Decimal | None:
    """The quantity in `unit`, directly or by an exact conversion; None when not derivable."""
    if unit in quantities:
        return quantities[unit]
    target = _DIMENSION.get(unit)
    if target is None:
        return None
    base, factor = target
    for have, amount in quantities.items():
        source = _DIMENSION.get(have)
        if source is not None and source[0] == base:
            return amount * source[1] / factor
    return None
