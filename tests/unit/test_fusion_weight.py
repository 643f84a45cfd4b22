"""The cosine's weight in the ranking belongs to the semantic tier's encoder, not to the matcher."""

from __future__ import annotations

from collections.abc import Iterable

from claims_db.matching import SEMANTIC_WEIGHT, Matcher
from claims_db.models import Attribution, Claim, Status

US = (Attribution(actor="United States", verb="alleges"),)
CLAIMS = [
    Claim(
        id="words",
        statement="Iran supplied ballistic missiles to Russia",
        status=Status.ALLEGED,
        attributions=US,
    ),
    Claim(id="meaning", statement="Tehran armed Moscow with rockets", status=Status.ALLEGED, attributions=US),
]


class Tier:
    """A semantic tier that finds only the claim the words miss, with the weight its encoder asks."""

    def __init__(self, fusion_weight: float | None) -> None:
        self.fusion_weight = fusion_weight

    def encode_query(self, text: str) -> str:
        return text

    def search(self, query: object, k: int = 50) -> list[tuple[str, float]]:
        return [("meaning", 0.9), ("words", 0.2)][:k]

    def similarity(self, query: object, claim_ids: Iterable[str]) -> dict[str, float]:
        return {c: s for c, s in self.search(query) if c in set(claim_ids)}


def top(weight: float | None) -> str:
    matcher = Matcher(CLAIMS, semantic=Tier(weight))
    return matcher.check("Iran supplied ballistic missiles to Russia").matches[0].claim_id


def test_the_matcher_ranks_with_the_weight_the_tier_asks_for() -> None:
    assert top(1.0) == "meaning"  # cosine alone
    assert top(0.0) == "words"  # words alone


def test_a_tier_that_asks_for_nothing_gets_minilms_weight() -> None:
    assert Matcher(CLAIMS, semantic=Tier(None)).semantic_weight == SEMANTIC_WEIGHT == 0.7
    assert Matcher(CLAIMS, semantic=Tier(0.9), semantic_weight=0.5).semantic_weight == 0.5
