"""Writes of dismissed related-claim suggestions (DESIGN §5, "suggest, then confirm").

Dismissing a suggestion records that the analyst looked at a pair of claims and
found them unrelated, so ``desktop.core.search.similar`` never offers the pair
again, from either side. It is an ordinary audited, undoable write
(entity ``suggestion``, id ``A~B`` with the interchange ids in code-point order).
"""

from __future__ import annotations

from functools import partial

from sqlalchemy import text

from desktop.core.errors import Refused
from desktop.core.schema import Claim, DismissedSuggestion
from desktop.core.store.base import StoreBase
from desktop.core.store.tx import Result


class SuggestionWrites(StoreBase):
    def dismiss_suggestion(self, claim_id: int, other_id: int) -> Result:
        """Never suggest ``other_id`` as related to ``claim_id`` (nor the reverse) again."""
        if claim_id == other_id:
            raise Refused("a claim is not a suggestion for itself")
        low, high = sorted((claim_id, other_id))
        with self._tx() as tx:
            first = self._get(tx, Claim, low, "claim")
            second = self._get(tx, Claim, high, "claim")
            if tx.session.get(DismissedSuggestion, (low, high)) is None:
                tx.session.add(DismissedSuggestion(claim_id=low, other_id=high, analyst=tx.analyst, at=tx.now))
                tx.audit("suggestion", _key(first.ext_id, second.ext_id), "create", "dismissed", None, True)
            tx.change.claims |= {low, high}
        return Result(tx.change, partial(SuggestionWrites.restore_suggestion, claim_id=low, other_id=high), "dismiss")

    def restore_suggestion(self, claim_id: int, other_id: int) -> Result:
        """Undo a dismissal: the pair may be suggested again."""
        low, high = sorted((claim_id, other_id))
        with self._tx() as tx:
            first = self._get(tx, Claim, low, "claim")
            second = self._get(tx, Claim, high, "claim")
            gone = tx.connection.execute(
                text("DELETE FROM dismissed_suggestion WHERE claim_id = :a AND other_id = :b"), {"a": low, "b": high}
            ).rowcount
            if gone:
                tx.audit("suggestion", _key(first.ext_id, second.ext_id), "delete", "dismissed", True, None)
            tx.change.claims |= {low, high}
        return Result(
            tx.change, partial(SuggestionWrites.dismiss_suggestion, claim_id=low, other_id=high), "restore suggestion"
        )


def _key(a: str, b: str) -> str:
    return f"{min(a, b)}~{max(a, b)}"
