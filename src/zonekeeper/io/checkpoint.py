"""The chain head as reports print it, and the checkpoint file that keeps it outside the
database.

The hash chain proves that no event *inside* the books was changed, removed or reordered;
it cannot prove that none was cut off the end: delete the last events with their postings
and lots, move the zone's head back, and what is left is a shorter chain that is whole
(19 CFR 146.21(a) asks for records that can be relied upon, 146.4 that they be kept). Only a
copy of the head kept elsewhere shows that. So every report and filing prints the head it
was read at (`ChainHead`: `books` in JSON, a `books:` line in text), and `zonekeeper
checkpoint` writes it to a small file the operator keeps away from the database, which
`zonekeeper verify --since-checkpoint FILE` checks the books against.

A checkpoint file is JSON (docs/files.md): `format`, `zone`, `head_seq`, `head_hash`,
`written_at`, `zonekeeper` (the version that wrote it), `source` (`books`: read from the
database; `report`: a head copied from a printed report) and `stamp`: the SHA-256 of the
canonical form of the rest (sorted keys, compact, UTF-8), and an HMAC-SHA-256 with the
operator's key when one is given. The SHA-256 finds any edit made without recomputing it
(a typo, a hand-changed number); the HMAC finds any edit by someone without the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from zonekeeper.errors import InputError, Problem

FORMAT = "zonekeeper-checkpoint/1"
HASH = re.compile(r"[0-9a-f]{64}")
SOURCES = ("books", "report")
_FIELDS = ("format", "zone", "head_seq", "head_hash", "written_at", "zonekeeper", "source")


class ChainHead(NamedTuple):
    """Where a zone's hash chain ends: the last event's ledger position (0 for empty books)
    and its hash. A report made from the books at this head is a report of exactly these
    events."""

    zone: str
    seq: int
    hash: str

    def books_json(self) -> dict[str, Any]:
        """The `books` key every report's JSON carries."""
        return {"zone": self.zone, "head_seq": self.seq, "head_hash": self.hash}

    def books_line(self) -> str:
        """The `books:` line every report ends with in text (the full hash: a printed
        report is itself a checkpoint an auditor can check)."""
        return f"books: zone {self.zone} at event {self.seq:,} (head {self.hash})"


class Checkpoint(NamedTuple):
    """A head kept outside the books, as a checkpoint file holds it."""

    head: ChainHead
    written_at: str
    version: str
    source: str = "books"


def checkpoint_text(checkpoint: Checkpoint, key: bytes | None = None) -> str:
    """The checkpoint file's text: its fields and their stamp (an HMAC too, with `key`)."""
    content = _content(checkpoint)
    stamp = {"sha256": hashlib.sha256(_canonical(content)).hexdigest()}
    if key is not None:
        stamp["hmac_sha256"] = hmac.new(key, _canonical(content), hashlib.sha256).hexdigest()
    return json.dumps({**content, "stamp": stamp}, indent=2, ensure_ascii=False) + "\n"


def write_checkpoint(
    path: Path, checkpoint: Checkpoint, *, key: bytes | None = None, force: bool = False
) -> None:
    """Write the checkpoint to `path`; an existing file is kept unless `force` (it may be
    the only copy of an older head)."""
    text = checkpoint_text(checkpoint, key)
    try:
        with path.open("w" if force else "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise InputError(
            Problem(
                "the file exists: a checkpoint is not overwritten (it may be the only copy of "
                "an older head); choose another name, or give --force",
                file=str(path),
                code="checkpoint.exists",
            )
        ) from None
    except OSError as error:
        raise InputError(Problem(
            f"cannot write it: {error.strerror}",
            file=str(path),
            code="checkpoint.unwritable",
        )) from None


def read_checkpoint(path: Path, *, key: bytes | None = None) -> Checkpoint:
    """The checkpoint in `path`, its stamp checked: an edited file, a file stamped with a
    key when none is given (or without one when one is), or anything not a checkpoint is an
    InputError naming the file."""
    file = str(path)

    def refuse(reason: str, field: str | None = None) -> InputError:
        return InputError(Problem(reason, file=file, field=field, code="checkpoint.invalid"))

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise refuse("no such file") from None
    except OSError as error:
        raise refuse(f"cannot read it: {error.strerror}") from None
    except (UnicodeDecodeError, ValueError):
        raise refuse(
            "not a checkpoint file (not JSON): write one with `zonekeeper checkpoint`"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise refuse(f"not a checkpoint file (no \"format\": \"{FORMAT}\")", "format")
    stamp = data.get("stamp")
    unknown = sorted(set(data) - {*_FIELDS, "stamp"})
    if unknown:
        raise refuse(f"unknown field(s) {', '.join(unknown)}: the file was edited")
    if not isinstance(stamp, dict) or not isinstance(stamp.get("sha256"), str):
        raise refuse("it has no stamp: write checkpoints with `zonekeeper checkpoint`", "stamp")
    content = {name: data.get(name) for name in _FIELDS}
    canonical = _canonical(content)
    if not hmac.compare_digest(stamp["sha256"], hashlib.sha256(canonical).hexdigest()):
        raise refuse(
            "its content does not match its stamp: the file was edited after it was written",
            "stamp",
        )
    signed = stamp.get("hmac_sha256")
    if signed is not None and key is None:
        raise refuse(
            "it is stamped with a key: give the same key (--key-file) to check it", "stamp"
        )
    if signed is None and key is not None:
        raise refuse(
            "it was written without a key, so the key cannot prove it unchanged: check it "
            "without --key-file, or write a keyed checkpoint",
            "stamp",
        )
    if key is not None and not (
        isinstance(signed, str)
        and hmac.compare_digest(signed, hmac.new(key, canonical, hashlib.sha256).hexdigest())
    ):
        raise refuse(
            "its HMAC does not match with this key: the file was edited, or it was written "
            "with another key",
            "stamp",
        )
    return _checkpoint(content, refuse)


def read_key(path: Path) -> bytes:
    """The operator's checkpoint key from a file (surrounding white space, such as the
    newline an editor adds, is not part of it)."""
    try:
        key = path.read_bytes().strip()
    except OSError as error:
        raise InputError(
            Problem(
                f"cannot read the key: {error.strerror}",
                file=str(path),
                field="--key-file",
                code="checkpoint.key-unreadable",
            )
        ) from None
    if not key:
        raise InputError(Problem(
            "the key file is empty",
            file=str(path),
            field="--key-file",
            code="checkpoint.key-empty",
        ))
    return key


def head_problem(seq: int, head_hash: str) -> str | None:
    """Why a head given by hand (copied from a report) cannot be one, or None."""
    if seq < 0:
        return f"an event number is 0 or more, not {seq}"
    if not HASH.fullmatch(head_hash):
        return f"a head hash is 64 hexadecimal digits (lower case), not {head_hash!r}"
    return None


def now() -> str:
    """The time a checkpoint is written, in UTC to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _content(checkpoint: Checkpoint) -> dict[str, Any]:
    head = checkpoint.head
    return {
        "format": FORMAT,
        "zone": head.zone,
        "head_seq": head.seq,
        "head_hash": head.hash,
        "written_at": checkpoint.written_at,
        "zonekeeper": checkpoint.version,
        "source": checkpoint.source,
    }


def _canonical(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _checkpoint(content: dict[str, Any], refuse: Any) -> Checkpoint:
    """The fields of a stamped file, checked for shape (a stamp can be made over nonsense)."""
    zone, seq, head_hash = content["zone"], content["head_seq"], content["head_hash"]
    if not isinstance(zone, str) or not zone:
        raise refuse("it names no zone", "zone")
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise refuse(f"head_seq is not an event number: {seq!r}", "head_seq")
    reason = head_problem(seq, head_hash if isinstance(head_hash, str) else repr(head_hash))
    if reason:
        raise refuse(reason, "head_hash" if seq >= 0 else "head_seq")
    written, version, source = content["written_at"], content["zonekeeper"], content["source"]
    if source not in SOURCES:
        raise refuse(f"source is books or report, not {source!r}", "source")
    return Checkpoint(ChainHead(zone, seq, head_hash), str(written), str(version), source)
