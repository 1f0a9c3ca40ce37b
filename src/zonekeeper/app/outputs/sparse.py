"""Documents with keys that exist only when they have a value.

A document read from the books ends with `books` (the chain head it was made from) and has
no such key otherwise; a line carries its number only inside an entry; a suggestion names
its `description` or its file's `rows`. A model lists those keys in `OPTIONAL`: each is left
out of the JSON where it is None, so the document keeps the shape scripts already read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import SerializerFunctionWrapHandler, model_serializer

from zonekeeper.app.outputs import Output


class Sparse(Output):
    """An output whose `OPTIONAL` keys are left out where they are None."""

    OPTIONAL: ClassVar[frozenset[str]] = frozenset({"books"})

    @model_serializer(mode="wrap")
    def _without_missing(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        for key in self.OPTIONAL:
            if key in out and out[key] is None:
                del out[key]
        return out
