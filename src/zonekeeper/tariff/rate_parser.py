"""Parse the rate-of-duty text of the USITC HTSUS into `Rate` expressions.

Reads the three rate columns (HTSUS General Note 3: column 1 General and Special, column 2)
exactly as USITC publishes them, with their irregular spacing, line breaks inside words
("thou- sand") and missing spaces ("thebattery"). `parse_rate` never raises: text it cannot
read becomes a Rate of kind `unparsed` whose amount raises CannotCompute, so one bad string
never hides a whole schedule. See docs/tariff.md for the grammar, units and content keys.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from zonekeeper.tariff.expressions import (
    AdValorem,
    Rate,
    RateTerm,
    SpecialGroup,
    SpecialRates,
    Specific,
    SugarDegree,
)
from zonekeeper.tariff.units import unit_key

HUNDRED = Decimal(100)
NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?(?: \d+/\d+)?|\.\d+)"

_FREE = re.compile(r"^free\b[\s,]*(?P<note>.*)$", re.IGNORECASE)
_NO_CHANGE = re.compile(r"^no change$", re.IGNORECASE)
_ADDITIONAL = re.compile(
    r"^the duty provided (?:for )?in (?P<where>the applicable subheading|subheadings? .+?)"
    r"(?:\s*(?:\+|\bplus\b)\s*(?:a duty of\s*)?(?P<rest>.+))?$",
    re.IGNORECASE,
)
_MINUS = re.compile(
    r"^the duty rate provided in such subheading minus (?P<pct>" + NUM + r") ?%$", re.IGNORECASE
)
_SEE = re.compile(r"^see (?P<ref>.+)$", re.IGNORECASE)
_RULE = re.compile(r"^(?:the rate\b|the duty rate\b|the rate of duty\b|a duty\b)", re.IGNORECASE)
_SUGAR = re.compile(
    r"^(?P<base>" + NUM + r") ?¢ ?/ ?(?P<u>kg) less (?P<per>" + NUM + r") ?¢ ?/ ?kg for each "
    r"degree under (?P<ref>" + NUM + r") ?degrees \(and fractions of a degree in proportion\)"
    r" but not less(?: than)? (?P<floor>" + NUM + r") ?¢ ?/ ?kg$",
    re.IGNORECASE,
)
_PLATE_CAP = re.compile(
    r",? but if consisting in part of a plate or a set of plates the total duty shall not "
    r"exceed the duty for the complete movement$",
    re.IGNORECASE,
)
_AD_VALOREM = re.compile(r"^(?P<n>" + NUM + r") ?(?:%|percent\b)(?: ?(?P<q>.+))?$")
_SPECIFIC = re.compile(
    r"^(?:\$ ?(?P<d>" + NUM + r")|(?P<c>" + NUM + r") ?¢) ?"
    r"(?:(?P<each>each)|for each (?P<piece>other piece or part)|/ ?(?P<u>.+?))"
    r"(?:,? (?P<q>(?:on|of|upon|including|over) .+))?$"
)

# Subjects that read better under a short key (the watch-part wording of chapter 91).
_SUBJECT_ALIASES = {
    "strap_band_or_bracelet": "strap",
    "case_and_strap_band_or_bracelet": "case_and_strap",
    "telescopic_sight_if_any": "telescopic_sight",
    "entire_contents_of_container": "contents",
    "contents_and_container": "gross",
    "weight_of_container": "gross",
    "drained_weight": "drained",
    "non_u_s": "non_us",
}
# Qualifiers that mean the customs value of the whole article.
_WHOLE_VALUE = {"entire_set", "full_value_of_the_imported_article", "imported_article"}


def normalize(text: str) -> str:
    """Squeeze the published text: one space, words rejoined across line-break hyphens."""
    t = text.replace("\u00a0", " ").replace("\n", " ").replace("\r", " ")
    t = re.sub(r"(?<=[a-z])- (?=[a-z])", "", t)
    t = re.sub(r"\b(the|in|or)(battery|case|strap|movement|applicable|alterations)\b", r"\1 \2", t)
    t = re.sub(r"\binthe\b", "in the", t)
    t = re.sub(r"(?<=\d)(?=(?:of|to|degrees)\b)", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"\s*\+\s*", " + ", t)
    return t.rstrip(".").strip()


def _number(text: str) -> Decimal:
    """A published number: `6.8`, `1,000`, `33 1/3` (exact fraction kept as a Decimal)."""
    whole, _, fraction = text.replace(",", "").partition(" ")
    value = Decimal(whole)
    if fraction:
        numerator, denominator = fraction.split("/")
        value += Decimal(numerator) / Decimal(denominator)
    return value


def _subject(qualifier: str) -> str | None:
    """Content key subject of a qualifier (`on copper content` -> `copper`); None = whole value."""
    q = qualifier.lower()
    q = re.sub(r"^(?:on|of|upon|including)\s+", "", q)
    q = re.sub(r"^(?:the )?(?:value of (?:the )?)?", "", q)
    q = re.sub(r"^the ", "", q)
    q = re.sub(r"\s+content$", "", q)
    slug = re.sub(r"[^0-9a-z]+", "_", q).strip("_")
    slug = _SUBJECT_ALIASES.get(slug, slug)
    if slug in _WHOLE_VALUE:
        return None
    return slug


def _term(text: str) -> RateTerm | None:
    """One additive term of a compound rate; None when it is not a rate term."""
    av = _AD_VALOREM.match(text)
    if av:
        qualifier = av.group("q")
        if qualifier and not re.match(r"^(?:on|of|upon) ", qualifier):
            return None
        return AdValorem(_number(av.group("n")), _subject(qualifier) if qualifier else None)
    sp = _SPECIFIC.match(text)
    if not sp:
        return None
    dollars = _number(sp.group("d")) if sp.group("d") else _number(sp.group("c")) / HUNDRED
    if sp.group("each"):
        unit: str | None = "each"
    elif sp.group("piece"):
        unit = "piece"
    else:
        unit = unit_key(sp.group("u"))
    if unit is None:
        return None
    q = sp.group("q")
    of: str | None = None
    over: Decimal | None = None
    if q:
        threshold = re.fullmatch(r"over (" + NUM + ")", q)
        if threshold:
            over = _number(threshold.group(1))
        elif unit == "pf_liter" and re.fullmatch(r"on ethyl alcohol content", q):
            of = None  # a proof liter already measures the alcohol content
        else:
            of = _subject(q)
    return Specific(dollars, unit, of, over)


def _expression(text: str) -> tuple[RateTerm, ...] | None:
    terms = [t.strip() for t in text.split(" + ")]
    components: list[RateTerm] = []
    for term in terms:
        component = _term(term)
        if component is None:
            return None
        components.append(component)
    return tuple(components)


@lru_cache(maxsize=8192)
def parse_rate(text: str) -> Rate:
    """Parse one rate-of-duty text; never raises (unreadable text gives kind `unparsed`)."""
    try:
        return _parse_rate(text)
    except ArithmeticError:  # e.g. `1/0%`: a number that is not one
        return Rate(text, "unparsed")


def _parse_rate(text: str) -> Rate:
    t = normalize(text)
    if not t:
        return Rate(text, "empty")
    free = _FREE.match(t)
    if free:
        return Rate(text, "free", note=free.group("note") or None)
    if _NO_CHANGE.match(t):
        return Rate(text, "additional", note="no change to the duty of the applicable subheading")
    additional = _ADDITIONAL.match(t)
    if additional:
        rest = additional.group("rest")
        where = additional.group("where")
        note = None if where.lower() == "the applicable subheading" else f"the duty in {where}"
        if not rest:
            return Rate(text, "additional", note=note)
        components = _expression(rest)
        if components is not None:
            return Rate(text, "additional", components, note=note)
        return Rate(text, "unparsed")
    minus = _MINUS.match(t)
    if minus:
        return Rate(
            text,
            "reference",
            reference=f"the rate of the applicable subheading less {minus.group('pct')} "
            "percentage points",
        )
    see = _SEE.match(t)
    if see:
        return Rate(text, "reference", reference=see.group("ref"))
    if _RULE.match(t):
        return Rate(text, "reference", reference=t)
    sugar = _SUGAR.match(t)
    if sugar:
        component = SugarDegree(
            base=_number(sugar.group("base")) / HUNDRED,
            per_degree=_number(sugar.group("per")) / HUNDRED,
            reference_degrees=_number(sugar.group("ref")),
            floor=_number(sugar.group("floor")) / HUNDRED,
            unit="kg",
        )
        return Rate(text, "expression", (component,))
    cap_key = None
    capped = _PLATE_CAP.search(t)
    if capped:
        t = t[: capped.start()]
        cap_key = "complete_movement_duty"
    components = _expression(t)
    if components is None:
        return Rate(text, "unparsed")
    return Rate(text, "expression", components, cap_key=cap_key)


def parse_additional(text: str) -> Rate:
    """Parse Chapter 99 text ("The duty provided in the applicable subheading + 25%").

    A plain rate ("25%") is read as additional too: Chapter 99 headings add to the goods' own
    duty (HTSUS ch. 99, U.S. note 1 and subchapter III/IV notes).
    """
    rate = parse_rate(text)
    if rate.kind == "expression":
        return Rate(rate.text, "additional", rate.components, rate.reference, rate.note,
                    rate.cap_key)
    return rate


_GROUP = re.compile(r"\(\s*([A-Z]{1,2}[+*]?(?:\s*,\s*[A-Z]{1,2}[+*]?)*)\s*,?\s*\)")
_DANGLING = re.compile(r"\(\s*[A-Z]{1,2}[+*]?(?:\s*,\s*[A-Z]{1,2}[+*]?)*\s*$")


@lru_cache(maxsize=4096)
def parse_special(text: str) -> SpecialRates:
    """Parse the Special column: rate groups each followed by their SPI codes in parentheses.

    `Free (A+,AU,BH) 16.6% (E) See 9822.04.01 (AU)` gives A+, AU, BH -> Free; E -> 16.6%;
    AU -> the reference (the first group naming a program wins, as the HTSUS lists the general
    preference first). Text without program indicators is kept as `unassigned`.
    """
    flat = re.sub(r"\s+", " ", text.replace("\n", " ")).strip()
    if not flat:
        return SpecialRates(text)
    groups: list[SpecialGroup] = []
    position = 0
    previous: Rate | None = None
    for match in _GROUP.finditer(flat):
        segment = _DANGLING.sub("", flat[position : match.start()]).strip()
        programs = tuple(code.strip() for code in match.group(1).split(","))
        position = match.end()
        if segment:
            previous = parse_rate(segment)
        if previous is None:
            continue
        groups.append(SpecialGroup(previous, programs))
    tail = flat[position:].strip()
    unassigned = parse_rate(tail) if tail else None
    if not groups and unassigned is None:
        unassigned = parse_rate(flat)
    return SpecialRates(text, tuple(groups), unassigned)
