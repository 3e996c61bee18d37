"""Several writes as ONE transaction and one undo step: the window's bulk actions on selected claims.

``Store.batch`` runs store writes inside a single transaction (each write's own
``_tx`` joins it), so a bulk action on a thousand claims is all or nothing, is
audited field by field as each write would be, and has one ``Result`` whose undo
performs the inverse writes, last first, again as one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from desktop.core.errors import UserError
from desktop.core.schema import Claim
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result

if TYPE_CHECKING:
    from desktop.core.store.api import Store

Write = Callable[["Store"], Result]


class BatchWrites(StoreBase):
    def batch(self, writes: Sequence[Write], description: str) -> Result:
        """Run ``writes`` in one transaction; any error rolls back all of them."""
        if not writes:
            raise UserError(f"{description}: nothing selected")
        store: Store = self  # type: ignore[assignment]  # BatchWrites is only ever mixed into Store
        with self._tx() as tx:
            results = [write(store) for write in writes]
        undo = [result.undo for result in reversed(results)]
        return Result(tx.change, partial(BatchWrites.batch, writes=undo, description=description), description)

    def add_tag(self, ident: int, tag: str) -> Result:
        """Add ``tag`` to a claim's tags, in one transaction (nothing changes if it has it already)."""
        store: Store = self  # type: ignore[assignment]
        with self._tx() as tx:
            current = list(self._get(tx, Claim, ident, "claim").tags)
            return store.update_claim(ident, tags=current if tag in current else [*current, tag])
