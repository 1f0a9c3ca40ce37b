"""Drawback under TFTEA (19 U.S.C. 1313; 19 CFR part 190): link exports to imports, claim.

Pure core: records in, designations, plans, claims and alerts out. The shell (`io`, `cli`)
reads files and supplies the tariff adapters (descriptions, would-owe duty) through the small
protocols in `ports`.
"""
