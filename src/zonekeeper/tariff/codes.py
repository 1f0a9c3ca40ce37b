"""HTS codes: one value type for the numbers of the Harmonized Tariff Schedule of the US.

The HTSUS numbers its provisions in pairs of digits (General Rules of Interpretation; HTSUS
General Note 1): a 2-digit chapter, 4-digit heading, 6-digit subheading (the international HS
level), 8-digit tariff line (where the rates of duty sit) and a 10-digit statistical suffix
(which inherits the 8-digit line's rates). Users write the same code many ways
(`8414.30.80.30`, `8414308030`, `8414 30 8030`, or with the leading zero eaten by a
spreadsheet: `101.21.00`); `HtsCode.parse` accepts them all and keeps only the digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zonekeeper.errors import InputError, Problem

# Levels of the nomenclature by number of digits.
LEVELS = {2: "chapter", 4: "heading", 6: "subheading", 8: "tariff line", 10: "statistical line"}

_SEPARATORS = re.compile(r"[.\s\-]")


def hts_digits(text: str) -> str:
    """The digits of an HTS number as a user wrote it; ValueError saying why it is not one.

    Every reader of an HTS number (`duty quote --hts`, the `duty entry` file, the zone files,
    the drawback files) calls this, so one code is read one way everywhere. Dots, spaces and
    hyphens between the groups are dropped. A leading zero a spreadsheet ate is restored
    (`101210010` -> `0101210010`, `101.21.00` -> `01012100`): chapters are always two digits
    (HTSUS General Note 1), so a number of 7 or 9 digits, or a dotted number whose first
    group has 3 digits, can only be an 8- or 10-digit code of chapters 01-09 whose number
    was stored as a number. Any other length is refused rather than guessed.
    """
    raw = text.strip()
    groups = [g for g in _SEPARATORS.split(raw) if g]
    if len(groups) > 1 and len(groups[0]) == 3:
        groups[0] = "0" + groups[0]
    digits = "".join(groups)
    if digits.isdigit() and digits.isascii() and len(digits) in (7, 9):
        digits = "0" + digits
    if not (digits.isdigit() and digits.isascii() and len(digits) in LEVELS):
        raise ValueError(
            f"not an HTS code: {raw!r} (want e.g. 8414.30.80.30, 8414308030 or 8414.30.80)"
        )
    return digits


@dataclass(frozen=True, order=True)
class HtsCode:
    """An HTS number at any level, held as its digits only (no dots)."""

    digits: str

    def __post_init__(self) -> None:
        if not (self.digits.isdigit() and self.digits.isascii() and len(self.digits) in LEVELS):
            raise InputError(
                Problem(f"not an HTS code: {self.digits!r} (want 2, 4, 6, 8 or 10 digits)",
                        field="hts", code="tariff.hts.not-a-code")
            )

    @classmethod
    def parse(cls, text: str | HtsCode) -> HtsCode:
        """Parse `8414.30.80.30`, `8414308030`, `8414.30.80`, `8414`; raise InputError.

        A code whose leading zero was dropped by a spreadsheet (`101210010`, `101.21.00`) gets it
        back: chapters are always two digits, so a 7- or 9-digit number, or a 3-digit first
        group, can only be an 8- or 10-digit code of chapters 01-09 (HTSUS General Note 1).
        """
        if isinstance(text, HtsCode):
            return text
        try:
            return cls(hts_digits(str(text)))
        except ValueError as error:
            raise InputError(Problem(str(error), field="hts",
                                     code="tariff.hts.not-a-code")) from None

    @property
    def dotted(self) -> str:
        """The code as the HTSUS prints it: `8414`, `8414.30`, `8414.30.80`, `8414.30.80.30`."""
        d = self.digits
        size = len(d)
        if size == 10:
            return f"{d[:4]}.{d[4:6]}.{d[6:8]}.{d[8:]}"
        if size == 8:
            return f"{d[:4]}.{d[4:6]}.{d[6:]}"
        if size <= 4:
            return d
        return ".".join([d[:4], *(d[i : i + 2] for i in range(4, len(d), 2))])

    @property
    def hts8(self) -> str:
        """The first eight digits (the tariff line), or all digits of a shorter code."""
        return self.digits[:8]

    @property
    def hts10(self) -> str | None:
        """The ten digits of a statistical line; None for a shorter code."""
        return self.digits if len(self.digits) == 10 else None

    @property
    def level(self) -> str:
        """`chapter`, `heading`, `subheading`, `tariff line` or `statistical line`."""
        return LEVELS[len(self.digits)]

    @property
    def chapter(self) -> str:
        return self.digits[:2]

    @property
    def is_rate_level(self) -> bool:
        """True for 8- and 10-digit codes: the levels that carry (or inherit) rates of duty."""
        return len(self.digits) >= 8

    def startswith(self, prefix: HtsCode | str) -> bool:
        """True when this code lies under `prefix` (a code or a digit string)."""
        p = prefix.digits if isinstance(prefix, HtsCode) else prefix.replace(".", "")
        return self.digits.startswith(p)

    def __str__(self) -> str:
        return self.dotted
