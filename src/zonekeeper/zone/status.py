"""Zone status and disposition: the two small vocabularies every zone event speaks.

Zone status is the legal character of merchandise in a zone (19 CFR 146.41-146.44); the
disposition says where a shipment out of the zone goes (19 CFR 146 subpart F, 146.71).
"""

from __future__ import annotations

from enum import StrEnum


class ZoneStatus(StrEnum):
    """Zone status, 19 CFR 146.41 (PF), 146.42 (NPF), 146.43 (D), 146.44 (ZR).

    The values are the short names used throughout Zonekeeper; `parse` also accepts the
    one-letter codes of CBP Form 214 ("P", "N", "D", "Z") and the long names.
    """

    PRIVILEGED_FOREIGN = "PF"
    NONPRIVILEGED_FOREIGN = "NPF"
    DOMESTIC = "D"
    ZONE_RESTRICTED = "ZR"

    @classmethod
    def parse(cls, text: str) -> ZoneStatus:
        """Read a status as users and Form 214 write it; ValueError naming the choices."""
        key = text.strip().upper().replace("-", " ").replace("_", " ")
        found = _ALIASES.get(key)
        if found is None:
            raise ValueError(f"unknown zone status {text!r}: use PF (P), NPF (N), D or ZR (Z)")
        return found

    @property
    def is_foreign(self) -> bool:
        """PF, NPF and ZR are foreign merchandise; D is not (146.43)."""
        return self is not ZoneStatus.DOMESTIC


_ALIASES: dict[str, ZoneStatus] = {
    "PF": ZoneStatus.PRIVILEGED_FOREIGN,
    "P": ZoneStatus.PRIVILEGED_FOREIGN,
    "PRIVILEGED FOREIGN": ZoneStatus.PRIVILEGED_FOREIGN,
    "NPF": ZoneStatus.NONPRIVILEGED_FOREIGN,
    "N": ZoneStatus.NONPRIVILEGED_FOREIGN,
    "NONPRIVILEGED FOREIGN": ZoneStatus.NONPRIVILEGED_FOREIGN,
    "NON PRIVILEGED FOREIGN": ZoneStatus.NONPRIVILEGED_FOREIGN,
    "D": ZoneStatus.DOMESTIC,
    "DOMESTIC": ZoneStatus.DOMESTIC,
    "ZR": ZoneStatus.ZONE_RESTRICTED,
    "Z": ZoneStatus.ZONE_RESTRICTED,
    "ZONE RESTRICTED": ZoneStatus.ZONE_RESTRICTED,
}


class ShipmentDisposition(StrEnum):
    """Where a shipment out of the zone goes.

    consumption: transfer to customs territory on an entry (146.61-146.66);
    export: exportation from the zone (146.67); zone_transfer: to another zone (146.66);
    destruction: destroyed in the zone under permit (146.52).
    """

    CONSUMPTION = "consumption"
    EXPORT = "export"
    ZONE_TRANSFER = "zone_transfer"
    DESTRUCTION = "destruction"

    @classmethod
    def parse(cls, text: str) -> ShipmentDisposition:
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(d.value for d in cls)
            raise ValueError(f"unknown disposition {text!r}: use one of {choices}") from None
