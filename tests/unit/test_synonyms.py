"""General synonyms (data/synonyms.json, read off WordNet): the table, its loader, its builder and
what scoring credits with it. The claims are about parties no table names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claims_db.errors import InvalidLexicon
from claims_db.matching import Matcher
from claims_db.matching.analyze import _stem
from claims_db.matching.synonyms import Table, load, related
from claims_db.models import Attribution, Claim, Status


def write(tmp_path: Path, doc: Any) -> Path:
    (tmp_path / "synonyms.json").write_text(json.dumps(doc), encoding="utf-8")
    return tmp_path


def claim(cid: str, statement: str) -> Claim:
    return Claim(
        id=cid, statement=statement, status=Status.ALLEGED, attributions=(Attribution(actor="Someone"),)
    )


def test_the_packaged_table_relates_general_words_both_ways() -> None:
    table = load()
    assert len(table) > 10_000
    # the file is over index terms: the stemmer the index uses
    assert _stem("prohibited") in table and "prohibited" not in table
    for a, b in (("prohibit", "ban"), ("wage", "salary"), ("purchase", "buy"), ("faulty", "defective")):
        assert _stem(b) in related(_stem(a)), (a, b)
        assert _stem(a) in related(_stem(b)), (a, b)


def test_rare_senses_and_opposites_relate_nothing() -> None:
    # "buy" and "steal" share only the rare noun sense "a bargain"
    assert _stem("steal") not in related(_stem("buy"))
    # words on opposite sides of opposites.json are never related, whatever the source says
    table = Table(
        {"approv": "ban sanction", "sanction": "approv", "ban": "approv"}, {"approv": frozenset({"ban"})}
    )
    assert table.related("approv") == {"sanction"} and table.related("nope") == frozenset()


def test_the_loader_lists_every_bad_entry(tmp_path: Path) -> None:
    doc = {
        "synonyms": {
            "Ban": "prohibit",
            "halt": "",
            "stop": ["cease"],
            "fire": "fire sack",
            "cut": "trim  pare",
        }
    }
    with pytest.raises(InvalidLexicon) as err:
        load(write(tmp_path, doc))
    problems = "\n".join(err.value.problems)
    assert "'Ban' is not a lower-case term" in problems
    assert "synonyms.halt: must be lower-case terms" in problems
    assert "synonyms.stop: must be lower-case terms" in problems
    assert "synonyms.cut: must be lower-case terms of two letters or more, one space apart" in problems
    assert "synonyms.fire: lists the term itself" in problems


def test_the_loader_names_a_broken_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidLexicon, match="the file is missing"):
        load(tmp_path)
    (tmp_path / "synonyms.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidLexicon, match="not valid JSON: line 1"):
        load(tmp_path)
    with pytest.raises(InvalidLexicon, match='an object "synonyms"'):
        load(write(tmp_path, {"pairs": []}))


STORE = [
    claim("rivel-dismissed", "Ostervale Academy dismissed the conductor Ilse Marrow for missing rehearsals"),
    claim("tarn-ban", "Quellmark banned imports of Vossland timber"),
]


def test_a_synonym_stands_in_for_the_claims_word() -> None:
    m = Matcher(STORE)
    best = m.scored("quellmark prohibited imports of vossland timber", limit=1)[0]
    assert best.claim_id == "tarn-ban"
    assert best.evidence.recall == pytest.approx(1.0)
    assert best.evidence.synonyms > 0
    assert best.features["synonyms"] > 0
    # the message's word is shown as what agreed, and the short message is no near miss in words
    assert "prohibited" in best.why()
    assert not best.near_in_words


def test_an_unrelated_word_is_still_missing() -> None:
    m = Matcher(STORE)
    best = m.scored("quellmark taxed imports of vossland timber", limit=1)[0]
    assert best.claim_id == "tarn-ban"
    assert best.evidence.synonyms == 0
    assert best.evidence.recall < 1.0


def test_the_builder_reads_senses_kinds_and_their_limits(tmp_path: Path) -> None:
    """tools/build_synonyms.py over a WordNet of five synsets, written with Windows line ends as
    the packaged copy is."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_synonyms", Path(__file__).parents[2] / "tools/build_synonyms.py"
    )
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    senses = [
        # buy: purchase (tagged 100 times), and the noun "a bargain" (never tagged) shared with steal
        "buy%2:40:00:: 00000001 1 100",
        "purchase%2:40:00:: 00000001 1 40",
        "buy%1:21:00:: 00000101 1 0",
        "steal%1:21:00:: 00000101 1 0",
        "steal%2:40:00:: 00000002 1 20",
        # prohibit is a kind of ban; ban is never tagged, so its first two senses count
        "ban%2:41:00:: 00000003 1 0",
        "prohibit%2:41:00:: 00000004 1 5",
        # "act" has more kinds below it than the limit
        *[f"w{'abcdefghijklmn'[i]}ord%2:41:00:: 00000{10 + i:03d} 1 1" for i in range(14)],
        "act%2:41:01:: 00000009 1 3",
    ]
    (tmp_path / "index.sense").write_text("\r\n".join(senses) + "\r\n", encoding="latin-1")
    verbs = [
        "00000001 40 v 02 buy 0 purchase 0 000 | obtain by paying",
        "00000002 40 v 01 steal 0 000 | take without paying",
        "00000003 41 v 01 ban 0 000 | forbid by law",
        "00000004 41 v 01 prohibit 0 001 @ 00000003 v 0000 | forbid",
        *[
            f"00000{10 + i:03d} 41 v 01 w{'abcdefghijklmn'[i]}ord 0 001 @ 00000009 v 0000 | x"
            for i in range(14)
        ],
        "00000009 41 v 01 act 0 000 | do",
    ]
    (tmp_path / "data.verb").write_text(
        "  licence header\r\n" + "\r\n".join(verbs) + "\r\n", encoding="latin-1"
    )
    (tmp_path / "data.noun").write_text(
        "00000101 21 n 02 buy 0 steal 0 000 | a bargain\r\n", encoding="latin-1"
    )
    table = builder.build(tmp_path, 0.05, True)
    assert builder.by_stem(table)["purchas"] == "buy"  # over index terms, as matching reads it
    assert table["buy"] == "purchase" and table["purchase"] == "buy"
    assert "steal" not in table  # shares only a sense neither is used in
    assert table["ban"] == "prohibit" and table["prohibit"] == "ban"
    assert "act" not in table and "waord" not in table  # too broad a kind
    # the verbs, their irregular forms and the verbs sharing any sense, however rare
    (tmp_path / "index.verb").write_text(
        "  licence header\r\n"
        "buy v 2 1 @ 2 1 00000001 00000007\r\n"
        "purchase v 1 1 @ 1 1 00000001\r\n"
        "sell v 1 0 1 0 00000005\r\n"
        "pick_up v 1 0 1 0 00000001\r\n",
        encoding="latin-1",
    )
    (tmp_path / "verb.exc").write_text("bought buy\r\nsold sell\r\nsold sold\r\n", encoding="latin-1")
    assert builder.read_verbs(tmp_path / "index.verb") == ["buy", "purchase", "sell"]
    assert builder.read_forms(tmp_path / "verb.exc") == {"bought": "buy", "sold": "sell"}
    assert builder.verb_synonyms(tmp_path) == {"buy": "purchase", "purchase": "buy"}
    # a verb's direct kind counts too, when the kind is narrow: "steal" (00000002) becomes a kind
    # of "sell" (00000005), with one verb below it
    (tmp_path / "data.verb").write_text(
        "00000002 40 v 01 steal 0 001 @ 00000005 v 0000 | take without paying\r\n", encoding="latin-1"
    )
    with (tmp_path / "index.verb").open("a", encoding="latin-1") as f:
        f.write("steal v 1 1 @ 1 0 00000002\r\n")
    assert builder.verb_synonyms(tmp_path)["sell"] == "steal"
    builder.VERB_FAN_OUT = 0  # a kind with more verbs below it than this stands for none of them
    assert "sell" not in builder.verb_synonyms(tmp_path)


def test_the_table_is_loaded_with_the_matcher_not_inside_the_first_check() -> None:
    from claims_db.matching import synonyms

    synonyms._packaged.cache_clear()
    Matcher([])
    assert synonyms._packaged.cache_info().currsize == 1
