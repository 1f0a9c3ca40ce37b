"""Worker of the kill-mid-batch test: post a large batch and hang inside its transaction,
after the events and projections are written (`store.writes.write`) and before the commit,
until killed."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from zk_store_samples import admission

from zonekeeper.app.books import Ledger
from zonekeeper.store import writes


def main() -> None:
    url, marker, size = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    write = writes.write

    def write_then_hang(*args: Any, **kwargs: Any) -> None:
        write(*args, **kwargs)
        marker.write_text("inside the transaction")
        time.sleep(120)

    writes.write = write_then_hang  # type: ignore[assignment]
    with Ledger.open(url) as books:
        books.post([admission(f"K{i}", 5, "W", "1", "10") for i in range(size)])


if __name__ == "__main__":
    main()
