"""Run every benchmark and write docs/performance.md.

Each benchmark module exposes `run() -> str`, a Markdown section with its figures measured
side by side with the peer its issue names, in this one run. `python -m bench NAME...` runs
only the named modules (and leaves docs/performance.md alone).
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

MODULES = ["tariff_bench", "ledger_bench", "weekly_bench", "drawback_bench"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {cpu}, {os.cpu_count()} cores"


def main(argv: list[str]) -> int:
    chosen = argv or MODULES
    sections = []
    for name in chosen:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"bench.{name}":
                raise
            print(f"[bench] {name}: not built yet", flush=True)
            continue
        started = time.perf_counter()
        print(f"[bench] {name} …", flush=True)
        section = module.run()
        print(section, flush=True)
        print(f"[bench] {name} took {time.perf_counter() - started:.1f} s", flush=True)
        sections.append(section)
    if not argv:
        header = (
            "# Performance\n\n"
            f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d} ({machine()}).\n"
            "Every figure below comes from one run of that command; peers ran in the same run.\n"
        )
        Path("docs/performance.md").write_text(header + "\n" + "\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
