from __future__ import annotations

import pytest

from claims_db.matching import frame
from claims_db.models import Framing


@pytest.mark.parametrize(
    ("text", "framing"),
    [
        ("Iran sent ballistic missiles to Russia", Framing.FACT),
        ("The earth is flat.", Framing.FACT),
        ("Blinken says Iran sent missiles to Russia", Framing.ATTRIBUTED),
        ("According to the US, Iran sent missiles to Russia", Framing.ATTRIBUTED),
        ("Kyiv claims Russia shelled the plant", Framing.ATTRIBUTED),
        ("Iran reportedly sent missiles to Russia", Framing.HEDGED),
        ("Iran allegedly sent missiles", Framing.HEDGED),
        ("rumour has it Tehran armed Moscow", Framing.HEDGED),
        ("apparently the drones are Iranian", Framing.HEDGED),
        ("Iran never sent missiles to Russia", Framing.NEGATED),
        ("Iran didn't send missiles to Russia", Framing.NEGATED),
        ("Iran did not send missiles", Framing.NEGATED),
        ("there is no evidence that Iran sent missiles", Framing.NEGATED),
        ("the missile story is a lie", Framing.NEGATED),
        ("Iranian missiles in Russia? that's fake", Framing.NEGATED),
        ("this is a hoax", Framing.NEGATED),
        ("Did Iran send missiles to Russia", Framing.QUESTION),
        ("is it true that Iran sent missiles?", Framing.QUESTION),
        ("Iran sent missiles to Russia?", Framing.QUESTION),
        ("Has North Korea sent troops", Framing.QUESTION),
    ],
)
def test_each_kind(text: str, framing: Framing) -> None:
    assert frame(text) is framing


def test_precedence_question_negated_hedged_attributed() -> None:
    assert frame("Blinken says Iran reportedly never sent missiles, right?") is Framing.QUESTION
    assert frame("Blinken says Iran reportedly never sent missiles") is Framing.NEGATED
    assert frame("Blinken says Iran reportedly sent missiles") is Framing.HEDGED
    assert frame("Blinken says Iran sent missiles") is Framing.ATTRIBUTED


def test_not_every_negation_word_denies() -> None:
    assert frame("Iran sent not only drones but also missiles") is Framing.FACT
    assert frame("50 per cent of the drones were Iranian") is Framing.FACT


def test_a_country_named_united_states_says_nothing() -> None:
    # "states" is a verb of saying, but not in the country's name
    assert frame("The United States sent cluster munitions to Ukraine") is Framing.FACT
    assert frame("the UNITED  STATES built the pipelines") is Framing.FACT
    assert frame("Blinken states that Iran sent missiles") is Framing.ATTRIBUTED


def test_tweet_signoff_and_links_do_not_decide() -> None:
    assert frame("Starlink is active in Ukraine — Elon Musk (@elonmusk) February 26, 2022") is Framing.FACT
    assert frame("look https://example.org/is-this-true?") is Framing.FACT
