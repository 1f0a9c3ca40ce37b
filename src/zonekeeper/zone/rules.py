"""The zone-status rules checked at posting, each citing the regulation it applies.

Returned as reasons (text) that the posting engine turns into `Problem`s; `None` means the
rule is satisfied.
"""

from __future__ import annotations

import datetime as dt

from zonekeeper.zone.status import ShipmentDisposition, ZoneStatus

PF = ZoneStatus.PRIVILEGED_FOREIGN
NPF = ZoneStatus.NONPRIVILEGED_FOREIGN
D = ZoneStatus.DOMESTIC
ZR = ZoneStatus.ZONE_RESTRICTED


def status_change_refusal(old: ZoneStatus, new: ZoneStatus, *, produced: bool) -> str | None:
    """Why a lot in status `old` may not change to `new`, or None if it may.

    NPF -> PF on application before a change of classification (146.41(a),(b)); any status
    but ZR -> ZR on application (146.44(a)). PF cannot be abandoned (146.41(e)); ZR cannot
    be abandoned (146.44(a)); domestic status does not become foreign by application
    (146.43).
    """
    if old is new:
        return f"the lot is already in {new.value} status"
    if new is ZR:
        return None
    if old is PF:
        return (
            "privileged foreign status cannot be abandoned (19 CFR 146.41(e)); "
            "only a change to zone-restricted status is possible"
        )
    if old is ZR:
        return "zone-restricted status cannot be abandoned once granted (19 CFR 146.44(a))"
    if old is D:
        return (
            "domestic status merchandise does not change to foreign status by application "
            "(19 CFR 146.43); only zone-restricted status may be requested"
        )
    if new is PF and produced:
        return (
            "privileged foreign status must be applied for before the merchandise is "
            "manufactured so as to change its classification (19 CFR 146.41(a),(b)); this "
            "lot was produced in the zone"
        )
    if new is PF:
        return None
    return f"a change from {old.value} to {new.value} status is not provided for (146.41-146.44)"


def shipment_refusal(status: ZoneStatus, disposition: ShipmentDisposition) -> str | None:
    """ZR merchandise may not be removed for consumption (146.44(a))."""
    if status is ZR and disposition is ShipmentDisposition.CONSUMPTION:
        return (
            "zone-restricted merchandise may not be removed to customs territory for "
            "consumption unless the FTZ Board so determines (19 CFR 146.44(a))"
        )
    return None


def removable_statuses(disposition: ShipmentDisposition) -> tuple[ZoneStatus, ...]:
    """The statuses a removal without a named status may draw from: not ZR for consumption
    (146.44(a))."""
    return _REMOVABLE[disposition]


_REMOVABLE = {
    d: (PF, NPF, D) if d is ShipmentDisposition.CONSUMPTION else (PF, NPF, D, ZR)
    for d in ShipmentDisposition
}


def production_refusal(status: ZoneStatus) -> str | None:
    """ZR merchandise is in the zone for export, destruction or storage only (146.44(a))."""
    if status is ZR:
        return (
            "zone-restricted merchandise is held for exportation, destruction or storage "
            "only and may not be used in manufacture (19 CFR 146.44(a))"
        )
    return None


def pf_required_refusal(status: ZoneStatus, reasons: list[str]) -> str | None:
    """An admission requesting NPF or D status for goods a measure requires in PF status.

    15 CFR 400.13(c) (AD/CVD) and the trade-action proclamations (Section 232, 301, 122,
    IEEPA) require covered goods admitted on or after their dates to be admitted in
    privileged foreign status.
    """
    if reasons and status in (NPF, D):
        return "privileged foreign status is required: " + "; ".join(reasons)
    return None


def pf_rule_applies(status: ZoneStatus, origin: str) -> bool:
    """Whether the mandatory-PF rule reaches an admission at all: only foreign merchandise
    requested in NPF or D status. Domestic status goods of US origin are not foreign
    merchandise (19 CFR 146.1, "domestic merchandise": produced in the U.S.; 146.43): no duty on
    entry, so no trade action's FTZ clause (which reaches goods "subject to the duty",
    15 CFR 400.13(c)) can require PF for them, and checking them only raised false warnings.
    """
    if status is D and origin.strip().upper() == "US":
        return False
    return status in (NPF, D)


def overage_deadline(found: dt.date) -> dt.date:
    """An overage needs a Form 214 or an entry within 5 days of identification (146.53(d))."""
    return found + dt.timedelta(days=5)
