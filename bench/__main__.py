"""Run every benchmark and write docs/performance.md.

Each benchmark module exposes `run() -> str`, a Markdown section with its figures measured
side by side with the peer its issue names, in this one run. `python -m bench NAME...` runs
only the named modules (and leaves docs/performance.md alone).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

MODULES = ["tariff_bench", "history_bench", "ledger_bench", "writers_bench", "weekly_bench",
           "drawback_bench", "classify_bench", "advisor_bench", "analytics_bench",
           "api_bench", "dashboard_bench"]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {cpu}, {os.cpu_count()} cores"


def _load() -> str:
    """The 1-minute load average, or "not known" where the system has none."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):  # Windows has none
        return "not known"


def run_one(name: str) -> str | None:
    """Run one benchmark module in a fresh interpreter and return its Markdown section.

    Each module gets a process of its own, so one benchmark's heap, caches and peak memory
    (getrusage reports the process's peak) do not leak into the next one's figures.
    """
    done = subprocess.run(
        [sys.executable, "-c", _ONE, name], stdout=subprocess.PIPE, text=True, check=True
    )
    chatter, *section = done.stdout.split(_MARK, 1)
    if chatter.strip():
        print(chatter.rstrip("\n"), flush=True)  # the module's own progress lines
    return section[0].strip("\n") + "\n" if section else None


_MARK = "\n<<<bench-section>>>\n"
_ONE = f"""
import importlib, sys
name = sys.argv[1]
try:
    module = importlib.import_module("bench." + name)
except ModuleNotFoundError as missing:
    if missing.name != "bench." + name:
        raise
    sys.exit(0)
print({_MARK!r} + module.run(), end="")
"""


def main(argv: list[str]) -> int:
    chosen = argv or MODULES
    sections = []
    load_before = _load()
    for name in chosen:
        started = time.perf_counter()
        print(f"[bench] {name} …", flush=True)
        section = run_one(name)
        if section is None:
            print(f"[bench] {name}: not built yet", flush=True)
            continue
        print(section, flush=True)
        print(f"[bench] {name} took {time.perf_counter() - started:.1f} s", flush=True)
        sections.append(section)
    if not argv:
        header = (
            "# Performance\n\n"
            f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d} ({machine()}).\n"
            "Every figure below comes from one run of that command; peers ran in the same run.\n"
            "Each benchmark runs in a process of its own.\n"
            f"Load average (1 min) when the run began: {load_before}; when it ended: {_load()} "
            "(the run itself keeps one or two cores busy; a figure well above that means other "
            "work shared the machine, and every time below is longer for it).\n"
        )
        Path("docs/performance.md").write_text(header + "\n" + "\n".join(sections))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
