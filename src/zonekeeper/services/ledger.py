"""Where `services.entries` still finds the books until it moves into `app/` (then this
module goes): the books' use cases live in `zonekeeper.app.books`."""

from zonekeeper.app.books import Ledger, Snapshot

__all__ = ["Ledger", "Snapshot"]
