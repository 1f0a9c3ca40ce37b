"""Where `services.entries` still finds the recorded filings until it moves into `app/`
(then this module goes): they live in `zonekeeper.app.filings`."""

from zonekeeper.app.filings import consumption_weeks, read_filings, transfer_permits

__all__ = ["consumption_weeks", "read_filings", "transfer_permits"]
