"""Money as `Decimal`, rounded once, explicitly, where the law rounds.

Duty per line and fees are rounded to the cent, half up (CBP rounds entry summary amounts
to the cent: 19 CFR 159.1 and the ACE CATAIR rounding rule). Every intermediate value stays
unrounded until then, so a derivation can show the exact figure it rounded.

Every Decimal operation that reaches a stored or printed amount runs under `CONTEXT`, the
product's own context, never the thread's: a host that changes its context (an API server,
a notebook: `decimal.getcontext().prec = 5`) must not change the books or a document. The
core's entry points (posting a batch, a duty quote or entry, a weekly or single entry, a
drawback plan, the reports and documents, the command line) run under it through
`in_money_context` or `money_context()`: one context switch per call, not per figure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    getcontext,
    localcontext,
)
from typing import ParamSpec, TypeVar

CENT = Decimal("0.01")
ZERO = Decimal("0")
LIMIT = Decimal(10) ** 15
"""Every number read from a user's file or option is below this in size (a quadrillion: no
quantity or USD value on a zone or drawback record comes near it). The bound keeps every
sum, product and cent rounding of the books inside Decimal's 28 digits, so a report never
fails on a number that was accepted."""
PLACES = 6
"""At most this many decimal places (a millionth of a unit or of a dollar; trailing zeros
do not count): a finer figure is a typing or export error, not a measurement."""


CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The product's decimal context. 28 significant digits hold every figure the books can
hold exactly (inputs below LIMIT, at most PLACES places: 21 digits; their sums and products
with rates); a result that needs more rounds half even in the last digit, as the figures
stored so far were made (these are Python's defaults, so nothing stored or printed moves).
Amounts are rounded to the cent only explicitly (`cents`, half up). Invalid operations,
division by zero and overflow raise rather than yield NaN or Infinity."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextmanager
def money_context() -> Iterator[Context]:
    """`with money_context():` run a block under `CONTEXT` (the thread's is restored after);
    the entry points called inside it run on without switching again."""
    with localcontext(CONTEXT) as context:
        token = _entered.set(context)
        try:
            yield context
        finally:
            _entered.reset(token)


def in_money_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` under `CONTEXT` whatever the caller's context (an entry point of the
    core: one context switch per call). Not for generators: their body runs later."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if getcontext() is _entered.get():
            return function(*args, **kwargs)  # inside an entry point already: no switch
        with localcontext(CONTEXT) as context:
            token = _entered.set(context)
            try:
                return function(*args, **kwargs)
            finally:
                _entered.reset(token)

    return run


# The context the innermost `in_money_context` installed in this thread or task (a copy of
# CONTEXT that only the product's own code uses): a call made inside an entry point runs
# on without a second switch (a warm duty quote costs a few microseconds; a switch ~1).
_entered: ContextVar[Context | None] = ContextVar("zonekeeper_money_context", default=None)


def cents(amount: Decimal) -> Decimal:
    """Round an amount to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(text: str | int | Decimal) -> Decimal:
    """Parse a decimal from text as users write it (`1,234.50`, ` 12 `); raise ValueError,
    also for a number outside the bounds (|x| < 10^15, at most 6 decimal places)."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return _bounded(Decimal(text), str(text))
    stripped = text.strip()
    if _EXPONENT.fullmatch(stripped):
        # A spreadsheet writes 1.23457E+11 for a long number it has already rounded: refuse
        # it rather than book a value nobody typed.
        raise ValueError(f"write the number in full, without an exponent: {text!r}")
    if not _WRITTEN.fullmatch(stripped):
        # Decimal() alone would take `1,5` (a decimal comma) as 15, `1_000`, `1$2` and
        # non-ASCII digits: a number is ASCII digits, commas only between thousands.
        raise ValueError(f"not a number: {text!r} (write e.g. 1234.50 or 1,234.50)")
    try:
        value = Decimal(stripped.replace(",", "").replace("$", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    return _bounded(value, text)


def parse_whole(text: str | int) -> int:
    """A whole number from text as users write it, by the rule of `parse_decimal` (ASCII
    digits, commas only between thousands; `1_0`, Arabic-Indic or full-width digits are
    refused) and inside its bounds; `3.0` is 3, `3.5` a ValueError."""
    if isinstance(text, bool) or (isinstance(text, str) and not _WHOLE.fullmatch(text.strip())):
        raise ValueError(f"not a whole number: {text!r} (write e.g. 12 or 1,200)")
    return int(parse_decimal(text))  # its bounds


# Optional sign and dollar sign, digits (commas only between groups of three), decimals.
_WRITTEN = re.compile(r"[+-]?\$?[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]*)?")
_WHOLE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0*)?")
_EXPONENT = re.compile(r"[+-]?\$?[0-9.,]+[eE][+-]?[0-9]+")


def _bounded(value: Decimal, text: str) -> Decimal:
    """`value` when it is inside LIMIT and PLACES; ValueError saying which bound it breaks."""
    if abs(value) >= LIMIT:
        raise ValueError(
            f"too large: {text!r} (numbers must be below 1,000,000,000,000,000 in size)"
        )
    # Counted on the digits as written: `normalize` would first round to the context's 28
    # digits and let 1.00000000000000000000000000000001 through as 1.
    sign, digits, exponent = value.as_tuple()
    if value and isinstance(exponent, int):
        trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
        if -(exponent + trailing_zeros) > PLACES:
            raise ValueError(f"more than {PLACES} decimal places: {text!r}")
    return value


def fmt(amount: Decimal) -> str:
    """A cent-rounded decimal string, as JSON outputs carry money."""
    return str(cents(amount))


def usd(amount: Decimal | str) -> str:
    """Money for people, the one way every screen, document and HTML page shows it:
    `$59,601.60`, `-$12.00` — rounded to the cent half up (as `cents`), thousands separated,
    the sign before the dollar sign. JSON keeps `fmt` (plain decimal strings a script can
    read); a string is accepted so that a JSON document can be printed for people."""
    value = cents(Decimal(amount) if isinstance(amount, str) else amount)
    if value < 0:
        return f"-${-value:,}"
    return f"${abs(value):,}"  # abs: -0.00 prints as $0.00
