"""A real server for the browser tests and the screenshots: `zonekeeper demo` books, a user
per role (password `zk_web.PASSWORD`), and `zonekeeper serve` on a free port in a process
of its own, stopped by its own process id."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zk_web import PASSWORD

from zonekeeper.app.users import Role

CHROMIUM = Path("/usr/bin/chromium")
ZONE = "DEMO-1"
CLI = [sys.executable, "-m", "zonekeeper"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _run(*args: str, stdin: str | None = None) -> None:
    subprocess.run([*CLI, *args], input=stdin, text=True, check=True, capture_output=True)


@contextmanager
def demo_server(folder: Path) -> Iterator[str]:
    """The base URL of a server over fresh demo books in `folder`."""
    db = folder / "demo.db"
    _run("demo", "--db", str(db))
    for role in Role:
        _run("--db", str(db), "users", "add", role.value, "--role", role.value,
             stdin=PASSWORD + "\n")
    port = _free_port()
    server = subprocess.Popen([*CLI, "--db", str(db), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/static/app.css", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start: {server.stderr}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
