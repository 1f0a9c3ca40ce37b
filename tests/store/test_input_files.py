"""Every command that reads a user's file stats it first (`io.tabular.check_file`): a
directory, a pipe (FIFO) or a device (/dev/zero) is refused in one line before it is opened
(a FIFO would block for ever, /dev/zero read until the memory runs out), and so is a file
over the size limit (1 GiB; `$ZONEKEEPER_MAX_INPUT_BYTES`). Exit 2, nothing changed."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from zk_store_samples import FILE_READERS

from zonekeeper.cli import application
from zonekeeper.errors import InputError
from zonekeeper.io.tabular import MAX_BYTES, MAX_BYTES_ENV, max_bytes, read_text

app = application()
runner = CliRunner()



@pytest.fixture
def alarm() -> Iterator[None]:
    """A command that blocks (reading a FIFO) fails the test instead of hanging the run."""
    def stop(*_: object) -> None:
        raise TimeoutError("the command blocked")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _refused(url: str, argv: list[str], path: Path, out: Path) -> str:
    args = [a.format(f=path, out=out) for a in argv]
    result = runner.invoke(app, ["--database-url", url, *args])
    assert isinstance(result.exception, InputError), (args, result.output, result.exception)
    # (under a size limit of 10 bytes, the other, good, file of a command is refused too)
    [problem] = [p for p in result.exception.problems if p.file == str(path)]
    return problem.message


def _ids(argv: list[str]) -> str:
    return " ".join(a for a in argv if not a.startswith("/"))


@pytest.mark.parametrize("argv", FILE_READERS, ids=_ids)
def test_not_a_regular_file_is_refused_before_it_is_opened(
    empty_zone: str, tmp_path: Path, argv: list[str], alarm: None,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))  # tariff import's store
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    for path, kind in ((fifo, "a pipe (FIFO)"), (folder, "a directory"),
                       (Path("/dev/zero"), "a device")):
        reason = _refused(empty_zone, argv, path, tmp_path / "claim")
        assert reason == f"cannot read the file: it is {kind}, not a regular file"
    missing = tmp_path / "missing.csv"
    assert "No such file" in _refused(empty_zone, argv, missing, tmp_path / "claim")


@pytest.mark.parametrize("argv", FILE_READERS, ids=_ids)
def test_a_file_over_the_size_limit_is_refused(
    empty_zone: str, tmp_path: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZONEKEEPER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv(MAX_BYTES_ENV, "10")
    big = tmp_path / "big.csv"
    big.write_text("part,hts,origin\n")
    reason = _refused(empty_zone, argv, big, tmp_path / "claim")
    assert reason.startswith("the file is larger than 10 bytes") and MAX_BYTES_ENV in reason


def test_the_size_limit_is_1_gib_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_BYTES_ENV, raising=False)
    assert max_bytes() == MAX_BYTES == 2**30
    monkeypatch.setenv(MAX_BYTES_ENV, "not a number")
    assert max_bytes() == MAX_BYTES


def test_a_file_that_grows_past_the_limit_is_not_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose size says little (/proc shows 0) is read only to the limit."""
    monkeypatch.setenv(MAX_BYTES_ENV, "64")
    text, problems, _ = read_text(Path("/proc/self/status"))
    assert text is None and "larger than 64 bytes" in problems[0].message
