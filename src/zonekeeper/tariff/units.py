"""Units of quantity: the canonical keys rates and quantities are measured in.

The HTSUS writes the same unit many ways (`No.`, `each`, `pcs`; `m²` and `m2`; `pf. liter`,
`pf.liter`, `pf.liters`; `1000`, `1,000`, `thousand`). Rates (columns 1 and 2) and the
"Unit of Quantity" column (HTSUS General Note 1 and the statistical notes) are both normalised
to the keys of `UNITS` so that a quantity reported once can feed every rate that needs it.
Exact conversions inside one dimension (g/kg/t, each/doz./gross/thousand, pr./doz. prs.,
liter/m3, cm2/m2) let a quantity given in one unit serve a rate in another; inexact ones
(barrels, proof liters) are never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

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
}

# Spellings seen in the HTSUS, after lower-casing and squeezing spaces around dots.
_ALIASES: Mapping[str, str] = {
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gram": "g", "grams": "g",
    "t": "t", "ton": "t", "tons": "t",
    "clean kg": "clean_kg",
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
}


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


def quantity_unit_key(text: str) -> str:
    """Key for a Unit of Quantity entry: canonical when known, else a stable slug.

    Statistical units such as `Cu kg` (kg of copper content) or `kg cmsc` are kept as slugs
    (`cu_kg`, `kg_cmsc`) so that they stay distinct from plain kilograms.
    """
    known = unit_key(text)
    if known is not None:
        return known
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
