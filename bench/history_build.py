"""Build the tariff history shipped in `zonekeeper/data/tariff/hts/history.zkh` (offline).

    python -m bench.history_build FOLDER

FOLDER holds the USITC exports and their MANIFEST.csv (edition, in-force date, file); the
store is every edition but the two the package ships as CSV (`sources.history.SHIPPED_CSV`),
read back whole before it is written. Prints the size and the time it took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from zonekeeper.sources.history import build_history, history_path


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    started = time.perf_counter()
    data = build_history(Path(argv[0]))
    out = history_path()
    out.write_bytes(data)
    print(f"wrote {out}: {len(data):,} bytes in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
