"""Run benchmark modules on an earlier commit and on this tree, alternately, in one run.

`python -m bench.compare --base REV [--base REV2 ...] MODULE... [--rounds N]`

A figure measured on one machine says little beside a figure measured on another: machines
of the same kind have differed threefold in speed between sessions. "No worse than before"
is therefore measured here, the earlier code and this code taking turns on the same machine
in the same minutes. Each REV is checked out (detached, no work tree of ours touched) into a
temporary folder; each side runs its *own* benchmark module (`python -m bench MODULE`) in a
fresh interpreter with its own `src` first on the path, so each measures the code it was
written for, with the same installed packages. Each side gets a tariff cache of its own
(the cache format is allowed to change between commits). The sections are printed as they
come, labelled with the side and the round; nothing is written to docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def _side(tree: Path, module: str, cache: Path) -> str:
    env = dict(os.environ, PYTHONPATH=f"{tree / 'src'}{os.pathsep}{tree}",
               ZONEKEEPER_CACHE=str(cache))
    done = subprocess.run([sys.executable, "-m", "bench", module], cwd=tree, env=env,
                          stdout=subprocess.PIPE, text=True, check=False)
    return done.stdout if done.returncode == 0 else done.stdout + f"\n(exit {done.returncode})"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare")
    parser.add_argument("--base", action="append", required=True, help="an earlier commit")
    parser.add_argument("modules", nargs="+", help="benchmark modules, e.g. drawback_bench")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zk-compare-") as folder:
        sides = {f"base {rev}": Path(folder) / f"base-{i}" for i, rev in enumerate(args.base)}
        try:
            for rev, tree in zip(args.base, list(sides.values()), strict=True):
                subprocess.run(["git", "-C", str(HERE), "worktree", "add", "--detach", "-q",
                                str(tree), rev], check=True)
            sides["this tree"] = HERE
            caches = {name: Path(folder) / f"cache-{i}" for i, name in enumerate(sides)}
            for module in args.modules:
                for round_ in range(1, args.rounds + 1):
                    order = list(sides) if round_ % 2 else list(reversed(sides))
                    for name in order:
                        started = time.perf_counter()
                        print(f"\n===== {module}, round {round_}, {name} "
                              f"(load {os.getloadavg()[0]:.2f}) =====", flush=True)
                        print(_side(sides[name], module, caches[name]), flush=True)
                        print(f"===== took {time.perf_counter() - started:.1f} s", flush=True)
        finally:
            for tree in sides.values():
                if tree != HERE and tree.exists():
                    subprocess.run(["git", "-C", str(HERE), "worktree", "remove", "--force",
                                    str(tree)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
