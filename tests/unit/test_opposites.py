"""Opposite predicates and other numbers in a claim's words: the table, its loader, the rule, and
what the matcher does with it. The claims are about parties no table names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claims_db.errors import InvalidLexicon
from claims_db.matching import Matcher
from claims_db.matching.opposites import contradiction, load
from claims_db.models import Attribution, Claim, Status, Verdict

TARIFFS = "Chile imposed tariffs on Argentine beef"


def write(tmp_path: Path, doc: Any) -> Path:
    (tmp_path / "opposites.json").write_text(json.dumps(doc), encoding="utf-8")
    return tmp_path


def test_the_packaged_table_loads() -> None:
    table = load()
    assert len(table.pairs) >= 15
    words = {w for one, other in table.pairs for side in (one, other) for w in side[0]}
    assert {"imposed", "lifted", "destroyed", "rebuilt", "refused", "agreed"} <= words
    # denials are framing's business: a message denying a claim is about it
    assert not {"denied", "denies", "never"} & words


def test_the_loader_lists_every_bad_entry(tmp_path: Path) -> None:
    doc = {
        "pairs": [
            {"one": ["Raised"], "other": ["lowered"]},
            {"one": ["opened"], "other": ["opened", "closed"]},
            {"one": ["won"], "colour": "red"},
            "not an object",
        ]
    }
    with pytest.raises(InvalidLexicon) as info:
        load(write(tmp_path, doc))
    problems = info.value.problems
    assert info.value.path.endswith("opposites.json")
    assert any("'Raised'" in p and "pairs[0]" in p for p in problems)
    assert any("['opened'] on both sides" in p for p in problems)
    assert any("pairs[2]" in p and "colour" in p for p in problems)
    assert any("pairs[2].other" in p for p in problems)
    assert any("pairs[3]" in p for p in problems)


def test_the_loader_names_a_broken_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidLexicon, match="the file is missing"):
        load(tmp_path)
    (tmp_path / "opposites.json").write_text('{"pairs": [', encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="not valid JSON"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("claim", "message", "reason"),
    [
        (TARIFFS, "Chile lifted tariffs on Argentine beef", 'says "lifted" where the claim says "imposed"'),
        ("Vietnam rebuilt the Hue bridge", "vietnam destroyed the hue bridge", '"destroyed"'),
        ("Norway refused to sell frigates to Chile", "Norway agreed to sell frigates to Chile", '"agreed"'),
        ("The flood killed 40 people in Valparaiso in 2016", "the flood killed 40 people in 2019", "2019"),
        ("Unemployment in Chile reached 9 percent", "unemployment in chile hit 12%", "says 12%"),
        # pairs added at stop 22, general English (found on tests/data/devsets, sentences here are new)
        (
            "Peru banned the fishing fleet from its waters",
            "Peru approved the fishing fleet for its waters",
            '"approved"',
        ),
        (
            "The watchdog fined the grocer for fake labels",
            "the watchdog cleared the grocer of fake labels",
            '"cleared"',
        ),
        (
            "The port cancelled its deal with the tug operator",
            "the port extended its deal with the tug operator",
            '"extended"',
        ),
        (
            "The council revoked the market's trading licence",
            "the council renewed the market's trading licence",
            '"renewed"',
        ),
        ("The radio station removed the band's songs", "the radio station added the band's songs", '"added"'),
        (
            "The maker recalled its electric scooters",
            "the maker launched its electric scooters",
            '"launched"',
        ),
    ],
)
def test_an_opposite_or_another_number_is_another_proposition(claim: str, message: str, reason: str) -> None:
    found = contradiction(claim, message)
    assert found is not None and reason in found


@pytest.mark.parametrize(
    ("claim", "message"),
    [
        (TARIFFS, "Chile imposed new tariffs on beef"),  # the same side
        (TARIFFS, "Chile did not lift tariffs on Argentine beef"),  # a negated opposite agrees
        (TARIFFS, "Chile imposed and then lifted tariffs on beef"),  # the claim's side is there too
        ("Chile raised its interest rate", "Rate Cut Partners say Chile raised its interest rate"),  # a name
        ("The flood killed 40 people in 2016", "The flood killed forty people in 2016"),  # a number word
        ("Chile bought F-16 jets in 2006", "Chile bought F-35 jets in 2006"),  # part of a name
        ("Chile bought jets", "Chile bought 12 jets in 2006"),  # the claim gives no number
        ("The maker recalled its scooters", "the maker recalled all the scooters it launched"),  # both sides
        ("The list included three banks", "three banks were removed from the list"),  # "include" is no side
    ],
)
def test_no_contradiction_without_one(claim: str, message: str) -> None:
    assert contradiction(claim, message) is None


def store() -> list[Claim]:
    return [
        Claim(
            id="chile-beef-tariffs",
            statement=TARIFFS,
            status=Status.ALLEGED,
            attributions=(Attribution(actor="Argentina", verb="alleges"),),
        )
    ]


def test_a_short_message_saying_the_opposite_is_never_a_match() -> None:
    matcher = Matcher(store())
    (best,) = matcher.scored("Chile lifted tariffs on Argentine beef", limit=1)
    assert best.claim_id == "chile-beef-tariffs"  # found, so the reply can say what the store holds
    assert best.opposed and not best.safe
    assert 'says "lifted"' in best.why()
    assert matcher.check("Chile lifted tariffs on Argentine beef").verdict is not Verdict.MATCH
    (same,) = matcher.scored("Chile imposed tariffs on beef from Argentina", limit=1)
    assert same.opposed is None


def test_a_long_message_is_not_read_for_opposites() -> None:
    # a tweet's other verbs and numbers are often about other things
    message = (
        "Farmers in Mendoza are furious today: Chile imposed tariffs on Argentine beef, and the "
        "ministers lifted nothing else all week despite the protests outside the embassy in Santiago"
    )
    (best,) = Matcher(store()).scored(message, limit=1)
    assert not best.short and best.opposed is None
