"""The lexicon files: the loader's rules, the lookups, and what analyze makes of places no claim named."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from claims_db.errors import InvalidLexicon
from claims_db.matching import lexicon as lexicon_module
from claims_db.matching.analyze import ALIASES, ENTITY_NAMES, STOPWORDS, SYNONYMS, analyze
from claims_db.matching.lexicon import Lexicon, lexicon, load
from claims_db.matching.normalize import normalize

DATA = Path(lexicon_module.__file__).resolve().parent.parent / "data"
ROOT = DATA.parent.parent


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged lexicon files."""
    for name in ("gazetteer.json", "concepts.json", "words.json"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def edit(directory: Path, name: str, change: Any) -> None:
    doc = json.loads((directory / name).read_text(encoding="utf-8"))
    change(doc)
    (directory / name).write_text(json.dumps(doc), encoding="utf-8")


def entity(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(e for e in doc["entities"] if e["key"] == key)


def problems(directory: Path) -> tuple[str, list[str]]:
    with pytest.raises(InvalidLexicon) as info:
        load(directory)
    return info.value.path, info.value.problems


# --- lookups ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "entity_key"),
    [
        ("Quito", "ecuador"),
        ("Peruvian", "peru"),
        ("peruvians", "peru"),
        ("Nairobi", "kenya"),
        ("the Kremlin", "russia"),
        ("The White House", "united-states"),
        ("Washington", "united-states"),
        ("Downing Street", "united-kingdom"),
        ("Beijing", "china"),
        ("Canberra", "australia"),
        ("Ouagadougou", "burkina-faso"),
        ("Côte d'Ivoire", "ivory-coast"),
        ("Guinea-Bissau", "guinea-bissau"),
        ("New Zealanders", "new-zealand"),
        ("Filipinos", "philippines"),
        ("the IAEA", "iaea"),
        ("World Health Organization", "who"),
        ("Grossi", "iaea"),
    ],
)
def test_places_demonyms_seats_and_leaders_resolve_to_what_they_stand_for(
    phrase: str, entity_key: str
) -> None:
    assert lexicon().lookup(phrase) == entity_key


def test_a_capital_is_a_place_that_stands_for_its_country() -> None:
    lex = lexicon()
    assert lex.entity_key("quito") == "quito"
    assert lex.kind("quito") == "place"
    assert lex.metonym("quito") == "ecuador"
    assert lex.kind("ecuador") == "country"
    assert lex.name("ecuador") == "Ecuador"
    assert lex.metonym("ecuador") is None


def test_people_carry_their_office_and_the_date_it_was_true() -> None:
    lex = lexicon()
    for e in lex.entities.values():
        if e.kind == "person":
            assert e.role and e.as_of, e.key
            assert dt.date.fromisoformat(e.as_of) <= dt.date.today()
    putin = lex.entities[lex.entity_key("putin") or ""]
    assert (putin.kind, putin.stands_for) == ("person", "russia")


@pytest.mark.parametrize("alias", ["georgia", "jordan", "chad", "guinea", "congo", "us", "who", "polish"])
def test_ambiguous_aliases_name_nothing_in_lower_case_text(alias: str) -> None:
    lex = lexicon()
    assert lex.resolve(alias) is None
    assert lex.candidates(alias)  # kept, for a reader that sees capitals and context
    assert alias not in ALIASES


def test_congolese_may_be_either_congo() -> None:
    assert set(lexicon().candidates("congolese")) == {
        "democratic-republic-of-the-congo",
        "republic-of-the-congo",
    }


def test_the_packaged_lexicon_is_loaded_once() -> None:
    assert lexicon() is lexicon()


def test_every_alias_is_written_as_normalize_writes_it() -> None:
    lex = lexicon()
    for e in lex.entities.values():
        for alias in (*e.aliases, *e.ambiguous):
            assert normalize(alias) == alias, (e.key, alias)


# --- what analyze exports -----------------------------------------------------------------------


def test_analyze_exports_the_lexicon_tables() -> None:
    lex = lexicon()
    assert lex.alias_table() == ALIASES
    assert lex.synonyms() == SYNONYMS
    assert lex.stopwords == STOPWORDS
    assert ENTITY_NAMES["united-states"] == "United States"
    assert set(ALIASES.values()) <= set(ENTITY_NAMES)


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("Quito has been selling rifles to the Peruvian military", ("ecuador", "peru")),
        ("Nairobi and Addis Ababa signed a border deal", ("kenya", "ethiopia")),
        ("Canberra and Wellington signed a pact", ("australia", "new-zealand")),
        ("Brazilian troops crossed into Bolivia", ("brazil", "bolivia")),
    ],
)
def test_analyze_finds_countries_no_claim_named(text: str, entities: tuple[str, ...]) -> None:
    assert analyze(normalize(text)).entities == entities


def test_roles_work_for_countries_no_claim_named() -> None:
    roles = analyze(normalize("Quito has been selling rifles to the Peruvian military")).roles
    assert any(r.actor == "ecuador" and r.recipient == "peru" for r in roles)
    swapped = analyze(normalize("Lima sold rifles to Ecuador")).roles
    assert any(r.actor == "peru" and r.recipient == "ecuador" for r in swapped)


def test_blocked_phrases_and_ambiguous_names_stay_plain_words() -> None:
    assert analyze(normalize("I had brussels sprouts and fine china")).entities == ()
    assert analyze(normalize("Jordan scored and Georgia won")).entities == ()
    assert analyze(normalize("flew Malaysia Airlines to Latin America")).entities == ()


# --- validation ---------------------------------------------------------------------------------


def test_the_packaged_files_are_valid() -> None:
    assert isinstance(load(DATA), Lexicon)


def test_an_alias_that_is_not_normalized_is_named_with_its_file_and_entity(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "ecuador")["aliases"].append("Republica-del-Ecuador"))
    path, found = problems(copy)
    assert path.endswith("gazetteer.json")
    assert found == [
        "entity 'ecuador': alias 'Republica-del-Ecuador' is not normalized "
        "(normalize gives 'republica del ecuador')"
    ]


def test_an_alias_of_two_entities_is_an_error_unless_marked_ambiguous(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "peru")["aliases"].append("quito"))
    _, found = problems(copy)
    assert found == [
        "entity 'quito': alias 'quito' also names 'peru'; keep it on one or mark it ambiguous on both"
    ]

    def both_ambiguous(d: dict[str, Any]) -> None:
        entity(d, "peru")["ambiguous"] = ["quito"]
        entity(d, "quito")["aliases"] = []
        entity(d, "quito")["ambiguous"] = ["quito"]

    edit(copy, "gazetteer.json", lambda d: entity(d, "peru")["aliases"].remove("quito"))
    edit(copy, "gazetteer.json", both_ambiguous)
    assert load(copy).candidates("quito") == ("peru", "quito")


def test_every_problem_in_a_file_is_listed(copy: Path) -> None:
    def break_it(d: dict[str, Any]) -> None:
        entity(d, "vladimir-putin")["as_of"] = "last year"
        entity(d, "kremlin")["stands_for"] = "muscovy"
        entity(d, "kenya")["kind"] = "nation"
        entity(d, "peru")["stand_for"] = "lima"
        d["entities"].append({"key": "Bad Key", "name": "x", "kind": "place", "aliases": ["x"]})

    edit(copy, "gazetteer.json", break_it)
    _, found = problems(copy)
    assert found == [
        "entity 'kenya': 'kind' must be one of country, organisation, person, place, not 'nation'",
        "entity 'peru': unknown field 'stand_for'",
        "entity 'vladimir-putin': 'as_of' must be a date, YYYY-MM-DD, not 'last year'",
        "entity 'Bad Key': 'key' must be lower-case letters and digits joined by '-'",
        "entity 'kremlin': stands_for 'muscovy', which is not an entity",
    ]


def test_stands_for_must_name_an_entity_that_stands_for_itself(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "kremlin").update(stands_for="moscow"))
    _, found = problems(copy)
    assert found == [
        "entity 'kremlin': stands_for 'moscow', which itself stands for another; name the last one"
    ]


def test_a_person_needs_an_office_and_a_date(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "vladimir-putin").pop("as_of"))
    _, found = problems(copy)
    assert found == ["entity 'vladimir-putin': a person needs 'as_of' (the office, and the date it was true)"]


def test_a_blocked_phrase_must_contain_an_alias(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: d["blocked"].update({"new york": "a city"}))
    _, found = problems(copy)
    assert found == ["blocked phrase 'new york' contains no alias, so it blocks nothing"]


def test_a_concept_form_may_belong_to_one_concept_only(copy: Path) -> None:
    edit(copy, "concepts.json", lambda d: d["concepts"]["~drone"]["forms"].append("rockets"))
    path, found = problems(copy)
    assert path.endswith("concepts.json")
    assert found == ["concept '~drone': form 'rockets' is already a form of '~missile'"]


def test_a_concept_form_may_not_be_an_alias(copy: Path) -> None:
    edit(copy, "concepts.json", lambda d: d["concepts"]["~weapon"]["forms"].append("kremlin"))
    _, found = problems(copy)
    assert found == ["concept '~weapon': form 'kremlin' is also an alias of entity 'kremlin'"]


def test_the_concepts_the_grammar_needs_must_be_there(copy: Path) -> None:
    edit(copy, "concepts.json", lambda d: d["concepts"].pop("~receive"))
    _, found = problems(copy)
    assert found == ["concept '~receive' is missing; the matcher's grammar refers to it"]


def test_word_lists_are_checked(copy: Path) -> None:
    def break_it(d: dict[str, Any]) -> None:
        d["stopwords"].append("The")
        d["stopwords"].append("the")
        d["stopword"] = []

    edit(copy, "words.json", break_it)
    path, found = problems(copy)
    assert path.endswith("words.json")
    assert found == [
        "unknown list 'stopword' (known: stopwords, saying, supply_participles, speaker_words, light_verbs)",
        "stopwords: 'The' is not normalized (normalize gives 'the')",
        "stopwords: 'the' is listed twice",
    ]


def test_an_alias_that_is_a_stopword_must_be_marked_ambiguous(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "india")["aliases"].append("in"))
    _, found = problems(copy)
    assert found == ["entity 'india': alias 'in' is a stopword; mark it ambiguous"]


def test_a_file_that_is_not_json_or_missing_says_so(copy: Path) -> None:
    (copy / "concepts.json").write_text('{"concepts": {', encoding="utf-8")
    path, found = problems(copy)
    assert path.endswith("concepts.json")
    assert found[0].startswith("not valid JSON: line 1 column 15")
    (copy / "words.json").unlink()
    path, found = problems(copy)
    assert (path.endswith("words.json"), found) == (True, ["the file is missing"])


def test_the_error_message_names_the_file_and_lists_the_problems(copy: Path) -> None:
    edit(copy, "gazetteer.json", lambda d: entity(d, "peru")["aliases"].append("Lima"))
    with pytest.raises(InvalidLexicon) as info:
        load(copy)
    lines = str(info.value).splitlines()
    assert lines[0] == f"lexicon file {copy / 'gazetteer.json'} has 1 problem:"
    assert lines[1] == "- entity 'peru': alias 'Lima' is not normalized (normalize gives 'lima')"


# --- the build ----------------------------------------------------------------------------------


def _sources_as_committed() -> bool:
    from importlib import metadata

    doc = json.loads((DATA / "gazetteer.json").read_text(encoding="utf-8"))
    for name, version in doc["sources"].items():
        if importlib.util.find_spec(name) is None or metadata.version(name) != version:
            return False
    return True


@pytest.mark.skipif(not _sources_as_committed(), reason="the gazetteer's source packages are not installed")
def test_the_committed_gazetteer_is_what_the_build_makes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_gazetteer.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
