"""The books' output models (app/outputs/books.py) write what the `--json` documents always
held: key order, quantities as plain decimal text, money to the cent, optional keys left
out rather than null where the document never had them."""

from __future__ import annotations

import json
from decimal import Decimal

from zk_store_samples import admission

from zonekeeper.app.books import Ledger
from zonekeeper.app.outputs.books import (
    HistoryDocument,
    PostingDocument,
    VerifyDocument,
    quantity_text,
)
from zonekeeper.app.verify import Mismatch, Verification
from zonekeeper.io.checkpoint import ChainHead


def test_quantities_are_plain_text_without_trailing_zeros() -> None:
    assert [quantity_text(Decimal(v)) for v in ("10.000", "2.50", "-0.0", "1E+1")] == [
        "10", "2.5", "0", "10",
    ]


def test_a_posting_document(ledger: Ledger) -> None:
    posted = ledger.post([admission("A1", 3, "W", "2.50", "100.5")])
    head = ChainHead(ledger.zone, posted.head_seq, posted.head_hash)
    document = PostingDocument.of("admission", posted, head, ()).document()
    assert list(document) == [
        "dry_run", "what", "posted", "events", "postings", "skipped", "discrepancies",
        "warnings", "books",
    ]
    assert document["events"] == [
        {"seq": posted.head_seq, "kind": "admission", "key": "admission A1 line 1"}
    ]
    assert document["books"] == {
        "zone": "49", "head_seq": posted.head_seq, "head_hash": posted.head_hash
    }
    lot, moves = ledger.history("A1/1")
    history = HistoryDocument.of(lot, moves, head).document()
    assert (history["balance"], history["postings"][0]["value"]) == ("2.5", "100.50")
    json.dumps(history)  # plain JSON all through


def test_verify_leaves_out_the_keys_it_has_none_of() -> None:
    bad = Verification(3, None, "ab" * 32, Mismatch(2, "shipment", "changed"))
    document = VerifyDocument.of(bad, None).document()
    assert list(document) == ["ok", "events", "lots", "head_hash", "mismatch"]
    assert document["mismatch"] == {"seq": 2, "kind": "shipment", "reason": "changed",
                                    "code": "verify.mismatch"}
    assert document["ok"] is False and document["lots"] is None
