"""The generated behavioural suite: each generator writes what it says, and the runner counts right."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from claims_db.models import Attribution, Claim, Framing, Match, MatchResult, Status, Verdict

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import behaviour  # noqa: E402
import checklist  # noqa: E402

WHO = (Attribution(actor="A reporter"),)


def claim(id: str, statement: str) -> Claim:
    return Claim(id=id, statement=statement, status=Status.UNVERIFIED, attributions=WHO)


# Four claims written for these tests: two countries and a port; a person and a company; two
# countries merely coordinated; a ministry, a person and a city.
STORE = [
    claim("boats", "Norway sold fishing boats to Chile through the port of Bergen"),
    claim("engineer", "Maria Lopez joined Acme Industries as chief engineer"),
    claim("coffee", "Portugal and Brazil signed a coffee trade agreement"),
    claim("schools", "The Ministry of Health told Peter Okafor to close every school in Lisbon"),
]
STATEMENTS = {c.id: c.statement for c in STORE}


@pytest.fixture(scope="module")
def ctx() -> checklist.Context:
    return checklist.context(STATEMENTS.values())


def generated(ctx: checklist.Context, claim_id: str, kind: str, seed: int = 0) -> list[checklist.Case]:
    return [c for c in checklist.cases(STATEMENTS[claim_id], ctx, seed=seed) if c.kind == kind]


def test_parties_are_read_with_their_kinds(ctx):
    found = {
        cid: [(p.text, p.kind) for p in checklist.parties(s, lower_words=ctx.lower_words)]
        for cid, s in STATEMENTS.items()
    }
    assert found["boats"] == [("Norway", "country"), ("Chile", "country"), ("Bergen", "place")]
    assert found["engineer"] == [("Maria Lopez", "person"), ("Acme Industries", "organisation")]
    assert found["schools"] == [
        ("Ministry of Health", "organisation"),
        ("Peter Okafor", "person"),
        ("Lisbon", "place"),
    ]


def test_a_sentence_opening_word_the_store_writes_in_lower_case_is_no_party():
    lower = checklist.context(
        ["the photograph shows a flood", "Photograph shows Anna Berg at a rally"]
    ).lower_words
    found = checklist.parties("Photograph shows Anna Berg at a rally", lower_words=lower)
    assert [(p.text, p.kind) for p in found] == [("Anna Berg", "person")]


def test_a_sentence_opening_word_the_store_writes_in_lower_case_still_opens_a_name_before_one():
    lower = checklist.context(["the bill passed", "a tiger escaped", "he says so"]).lower_words
    found = checklist.parties("Bill Okafor admitted the vaccine plan in Lagos", lower_words=lower)
    assert [(p.text, p.kind) for p in found] == [("Bill Okafor", "person"), ("Lagos", "place")]
    found = checklist.parties("Tiger Okafor named his bar after Nike", lower_words=lower)
    assert found[0].text == "Tiger Okafor"
    # a verb or a word before a country stays outside the name
    assert [p.text for p in checklist.parties("Says Okafor lied", lower_words=lower)] == ["Okafor"]
    assert [p.text for p in checklist.parties("Bill Russia passed", lower_words=lower)] == ["Russia"]


@pytest.mark.parametrize("pronoun", ["I'll", "We\u2019re", "You've", "I'd"])
def test_a_pronoun_with_its_verb_is_no_party(pronoun):
    found = checklist.parties(f'Anna Berg told the rally, "{pronoun} never vote for Lisbon again."')
    assert [p.text for p in found] == ["Anna Berg", "Lisbon"]


def test_initials_belong_to_the_name_and_a_letter_alone_is_no_party():
    # the full stop after an initial or "St" ends no sentence: "Jean Carroll" is not swapped alone
    found = checklist.parties("Donald Trump was photographed with E. Jean Carroll in St. Louis.")
    assert [p.text for p in found] == ["Donald Trump", "E. Jean Carroll", "St. Louis"]
    # a letter that is no initial ("E. coli", a quoted "J") is nothing to replace or swap
    assert [p.text for p in checklist.parties("An outbreak of E. coli hit Lisbon")] == ["Lisbon"]
    assert [p.text for p in checklist.parties("Lisbon has no 'J' Street")] == ["Lisbon"]
    # nor is a capitalised word that only makes an adjective with the next one
    assert [p.text for p in checklist.parties("Lisbon banned Middle Eastern imports")] == ["Lisbon"]


def test_a_roman_numeral_after_a_name_is_part_of_it():
    # "World War" alone replaced would leave "Tom Cruise I": a garbled message, not a replacement
    found = checklist.parties("Lisbon marked the end of World War I while Henry VIII slept.")
    assert [p.text for p in found] == ["Lisbon", "World War I", "Henry VIII"]
    # the pronoun is still no party, and no part of the name before it
    assert [p.text for p in checklist.parties("In Lisbon I saw a Schedule II drug.")] == [
        "Lisbon",
        "Schedule II",
    ]


def test_a_name_and_its_expansion_in_brackets_are_not_swapped(ctx):
    # "the Ministry of Health (MOH)" names one body twice: exchanging the two reverses nothing
    assert swaps_of(ctx, "The Ministry of Health (MOH) closed every school in May") == []
    assert swaps_of(ctx, "A side effect of the DTP (Diphtheria, Tetanus, Pertussis) vaccine was hidden") == []
    # a party beside the bracket is still exchanged with the name before it
    assert swaps_of(ctx, "Norway told the Ministry of Health (MOH) to close every school") == [
        "Ministry of Health told Norway (MOH) to close every school"
    ]
    # a company named with "&" is one party
    found = checklist.parties("Barnes & Noble hired Maria Lopez in Lisbon")
    assert [p.text for p in found] == ["Barnes & Noble", "Maria Lopez", "Lisbon"]


def test_a_name_its_bracketed_acronym_spells_out_is_one_party_across_and(ctx):
    # the acronym takes the name's initials in order: the words between the spans belong to it
    found = checklist.parties("The National Bureau of Fisheries and Ocean Research (NBFOR) closed a lake")
    assert [p.text for p in found] == ["National Bureau of Fisheries and Ocean Research", "NBFOR"]
    found = checklist.parties("The Office for Roads and Transport (ORT) fined Ann Berg")
    assert [p.text for p in found] == ["Office for Roads and Transport", "ORT", "Ann Berg"]
    # the whole name is exchanged, never its last word alone
    assert swaps_of(ctx, "The Office for Roads and Transport (ORT) fined Ann Berg") == [
        "Ann Berg (ORT) fined Office for Roads and Transport"
    ]
    # letters the names do not spell, or only two, join nothing
    assert [p.text for p in checklist.parties("Chile and Peru (CAP) signed a pact")][:2] == ["Chile", "Peru"]
    assert [p.text for p in checklist.parties("Chile and Peru (CP) signed a pact")][:2] == ["Chile", "Peru"]


def test_direction_swap_exchanges_the_two_parties(ctx):
    (swap,) = generated(ctx, "boats", "direction_swap")
    assert swap.message == "Chile sold fishing boats to Norway through the port of Bergen"
    assert swap.expect == "not_match"
    assert swap.entity == "country"
    (swap,) = generated(ctx, "engineer", "direction_swap")
    assert swap.message == "Acme Industries joined Maria Lopez as chief engineer"
    assert swap.entity == "mixed"


def test_coordinated_parties_are_not_swapped(ctx):
    # "Brazil and Portugal signed ..." says the same thing: it is no reversal
    assert generated(ctx, "coffee", "direction_swap") == []


def swaps_of(ctx: checklist.Context, statement: str) -> list[str]:
    return [c.message for c in checklist.cases(statement, ctx) if c.kind == "direction_swap"]


def test_items_of_one_list_are_not_swapped(ctx):
    # reordering "Norway, Chile, and Peru" says the same thing, with or without the serial comma
    assert swaps_of(ctx, "Norway, Chile, and Peru banned plastic bags in 2019") == []
    assert swaps_of(ctx, "Plastic bags are banned in Norway, Chile and Peru") == []
    # a list on one side of the verb and a party on the other is still a reversal
    assert swaps_of(ctx, "Norway and Chile sold fishing boats to Peru") != []


def test_words_of_one_name_are_not_swapped(ctx):
    # "the Marriage Act of Defense" or "Johnson 'The Rock' Dwayne" garble a name, reversing nothing
    assert swaps_of(ctx, "Norway signed the Oath of Allegiance") == []
    assert swaps_of(ctx, "Dwayne 'The Rock' Johnson bought a house") == []
    # but a quoted verb between two parties is no nickname, and "for" joins no name
    assert swaps_of(ctx, 'Acme Industries "fired" Maria Lopez in May') == [
        'Maria Lopez "fired" Acme Industries in May'
    ]
    assert swaps_of(ctx, "A textbook mistook Africa for South America") == [
        "A textbook mistook South America for Africa"
    ]


def test_a_party_used_as_a_modifier_is_not_swapped(ctx):
    # "Acme Industries workers" names workers, not the company acting
    statement = "Maria Lopez refused to pay Acme Industries workers"
    assert [c for c in checklist.cases(statement, ctx) if c.kind == "direction_swap"] == []
    # nor one inside quotes, nor a possessive naming another party ("Norway's Maria Lopez")
    statement = 'Norway\'s Maria Lopez read "Acme Industries" on the boats'
    assert [c for c in checklist.cases(statement, ctx) if c.kind == "direction_swap"] == []
    # nor the name in "Norway President Maria Lopez", where "Norway" would be left behind
    statement = "Norway President Maria Lopez refused to pay Acme Industries"
    assert [c for c in checklist.cases(statement, ctx) if c.kind == "direction_swap"] == []
    statement = "Maria Lopez refused to pay Acme Industries for the boats"
    (swap,) = [c for c in checklist.cases(statement, ctx) if c.kind == "direction_swap"]
    assert swap.message == "Acme Industries refused to pay Maria Lopez for the boats"


def test_a_replacement_takes_an_entity_of_the_same_kind_from_elsewhere_in_the_store(ctx):
    (country,) = generated(ctx, "boats", "replaced_country")
    first, rest = country.message.split(" ", 1)
    assert first in {"Portugal", "Brazil"}
    assert rest == "sold fishing boats to Chile through the port of Bergen"
    (person,) = generated(ctx, "engineer", "replaced_person")
    assert person.message == "Peter Okafor joined Acme Industries as chief engineer"
    # a titled person keeps the title and gets another name
    (titled,) = [
        c for c in checklist.cases("President Anna Berg visited Chile", ctx) if c.kind == "replaced_person"
    ]
    assert titled.message in {"President Maria Lopez visited Chile", "President Peter Okafor visited Chile"}
    (place,) = generated(ctx, "schools", "replaced_place")
    assert place.message == "The Ministry of Health told Peter Okafor to close every school in Bergen"
    assert all(c.expect == "not_match" for c in (country, person, place))
    # the only organisation elsewhere is Acme Industries; the only place besides Bergen is Lisbon
    (org,) = generated(ctx, "engineer", "replaced_organisation")
    assert org.message == "Maria Lopez joined Ministry of Health as chief engineer"
    assert generated(ctx, "coffee", "replaced_person") == []


def test_negation_puts_the_verb_or_the_party_against_the_claim(ctx):
    messages = [c.message for c in generated(ctx, "boats", "negation")]
    assert messages == [
        "Norway never sold fishing boats to Chile through the port of Bergen",
        "Norway denies that it sold fishing boats to Chile through the port of Bergen",
    ]
    assert all(c.framing == "negated" and c.expect == "find" for c in generated(ctx, "boats", "negation"))
    assert "Portugal and Brazil never signed" in generated(ctx, "coffee", "negation")[0].message
    negative = checklist.context(["Chile did not buy boats from Norway"])
    assert not [
        c for c in checklist.cases("Chile did not buy boats from Norway", negative) if c.kind == "negation"
    ]


def test_question_hedge_lowercase_and_chatter_keep_the_statement(ctx):
    body = "the Ministry of Health told Peter Okafor to close every school in Lisbon"
    (question,) = generated(ctx, "schools", "question")
    assert question.message.endswith(body + "?") and question.framing == "question"
    (hedge,) = generated(ctx, "schools", "hedge")
    assert hedge.message.rstrip(".").endswith(body) and hedge.framing == "hedged"
    assert any(hedge.message.startswith(h.split("{}")[0]) for h in checklist.HEDGES)
    (negative,) = [
        c for c in checklist.cases("Chile did not buy boats from Norway", ctx) if c.kind == "hedge"
    ]
    assert negative.framing is None  # hedged and negated at once: no framing is asked for
    (low,) = generated(ctx, "schools", "lowercase")
    assert low.message == STATEMENTS["schools"].lower()
    (chat,) = generated(ctx, "schools", "chatter_wrap")
    assert body in chat.message and len(chat.message) > len(body) + 20


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter dropped, doubled, changed, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]])
    short, long_ = sorted((a, b), key=len)
    return len(long_) == len(short) + 1 and any(
        long_[:i] + long_[i + 1 :] == short for i in range(len(long_))
    )


@pytest.mark.parametrize("seed", range(6))
def test_typos_edit_one_or_two_content_words_by_one_edit_each(ctx, seed):
    (typo,) = generated(ctx, "boats", "typo", seed=seed)
    before, after = STATEMENTS["boats"].split(), typo.message.split()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert 1 <= len(changed) <= 2
    assert all(_one_edit_apart(a, b) and a.islower() and len(a) >= 5 for a, b in changed)
    assert generated(ctx, "boats", "typo", seed=seed) == [typo]  # the same seed, the same typos


def test_synonyms_come_from_the_suite_s_own_word_list(ctx):
    (syn,) = generated(ctx, "boats", "synonym")
    table = checklist.gazetteer().synonyms
    assert syn.message == STATEMENTS["boats"].replace("sold", table["sold"])
    # no word of the statement has an entry: the kind is skipped
    assert generated(ctx, "engineer", "synonym") == []


def test_alias_writes_a_country_as_its_capital_or_its_government(ctx):
    messages = [c.message for c in generated(ctx, "boats", "alias")]
    assert messages == [
        "Oslo sold fishing boats to Chile through the port of Bergen",
        "The Norwegian government sold fishing boats to Chile through the port of Bergen",
    ]
    assert generated(ctx, "engineer", "alias") == []  # no country
    # "the Portuguese government and Brazil signed" is not how people write: only the capital
    assert [c.message for c in generated(ctx, "coffee", "alias")] == [
        "Lisbon and Brazil signed a coffee trade agreement"
    ]
    # a country as an adjective has no alias: "Oslo fishermen" is not the claim in other words
    adjective = "Norwegian fishermen say Norway fishing boats are the best"
    assert [c for c in checklist.cases(adjective, ctx) if c.kind == "alias"] == []


# --- the runner -----------------------------------------------------------------------------------


class ScriptedMatcher:
    """Answers each generated message as scripted for its kind, so the expected counts are known."""

    def __init__(self, ctx: checklist.Context) -> None:
        self.answers: dict[str, MatchResult] = {}
        for c in STORE:
            other = next(o.id for o in STORE if o.id != c.id)
            for case in checklist.cases(c.statement, ctx):
                self.answers[case.message] = self._answer(case, c.id, other)

    @staticmethod
    def _answer(case: checklist.Case, own: str, other: str) -> MatchResult:
        def result(verdict: Verdict, top: str | None, framing: Framing = Framing.FACT) -> MatchResult:
            matches = (Match(top, 0.9, verdict, ""),) if top else ()
            return MatchResult(case.message, verdict, framing, matches)

        if case.kind == "direction_swap":  # a matcher fooled by every swap
            return result(Verdict.MATCH, own)
        if case.kind.startswith("replaced_"):  # right claim, but only "possible"
            return result(Verdict.POSSIBLE, own)
        if case.kind == "negation":
            return result(Verdict.MATCH, own, Framing.NEGATED)
        if case.kind == "question":  # finds nothing
            return result(Verdict.NONE, None)
        if case.kind == "hedge":  # confident, and wrong
            return result(Verdict.MATCH, other, Framing.HEDGED)
        return result(Verdict.MATCH, own)

    def check(self, message: str, *, limit: int = 3) -> MatchResult:
        return self.answers[message]


def test_the_runner_counts_each_kind_against_a_scripted_matcher(ctx):
    report = behaviour.run(STORE, ScriptedMatcher(ctx)).as_dict()
    kinds = report["kinds"]
    assert report["claims"] == 4
    swap = kinds["direction_swap"]
    assert (swap["n"], swap["skipped"], swap["match_original"], swap["match_original_rate"]) == (3, 1, 3, 1.0)
    country = kinds["replaced_country"]
    assert (country["n"], country["top1"], country["match_original"], country["match_any"]) == (2, 2, 0, 0)
    neg = kinds["negation"]
    assert (neg["n"], neg["match_right"], neg["framing_ok"], neg["framing_rate"]) == (8, 8, 8, 1.0)
    q = kinds["question"]
    assert (q["n"], q["top1"], q["match_any"], q["framing_ok"]) == (4, 0, 0, 0)
    hedge = kinds["hedge"]
    assert (hedge["top1"], hedge["match_right"], hedge["match_any"], hedge["match_original"]) == (0, 0, 4, 0)
    assert kinds["alias"]["skipped"] == 2 and kinds["alias"]["n"] == 3
    assert kinds["synonym"]["skipped"] == 1
    assert report["messages"] == sum(k["n"] for k in kinds.values())
    by = report["by_entity"]
    assert by["direction_swap"]["country"]["n"] == 1 and by["direction_swap"]["mixed"]["n"] == 2
    assert by["replaced_place"]["place"]["n"] == 2
    # failing messages are kept for reading: every swap matched, every question missed
    assert len(report["failures"]["direction_swap"]) == 3 and len(report["failures"]["question"]) == 4
    assert "replaced_country" not in report["failures"] or not report["failures"]["replaced_country"]


def test_the_command_runs_a_claim_file_through_the_real_matcher(tmp_path, capsys):
    path = tmp_path / "claims.json"
    rows = [
        {
            "id": c.id,
            "statement": c.statement,
            "status": "unverified",
            "attributions": [{"actor": "A reporter"}],
        }
        for c in STORE
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    out = tmp_path / "result.json"
    assert behaviour.main(["--claims", str(path), "--out", str(out)]) == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["claims"] == 4 and result["store_claims"] == 4
    assert result["kinds"]["original"]["top1"] == 4  # each statement finds its own claim
    assert result["kinds"]["direction_swap"]["n"] == 3
    printed = capsys.readouterr().out
    assert "| direction_swap | not `match` | 3 | 1 |" in printed


def test_the_command_writes_the_generated_cases_without_matching(tmp_path, capsys):
    path = tmp_path / "claims.json"
    rows = [
        {
            "id": "boats",
            "statement": STATEMENTS["boats"],
            "status": "unverified",
            "attributions": [{"actor": "A reporter"}],
        }
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    cases_path = tmp_path / "cases.jsonl"
    assert behaviour.main(["--claims", str(path), "--cases", str(cases_path), "--no-match"]) == 0
    written = [json.loads(line) for line in cases_path.read_text(encoding="utf-8").splitlines()]
    ctx = checklist.context([STATEMENTS["boats"]])
    assert [(r["kind"], r["message"]) for r in written] == [
        (c.kind, c.message) for c in checklist.cases(STATEMENTS["boats"], ctx)
    ]
    assert {r["claim_id"] for r in written} == {"boats"}
    assert capsys.readouterr().out == ""  # no table: nothing was matched


def test_the_development_sample_avoids_the_reported_and_the_fitted_claims(monkeypatch):
    everything = [claim(f"c{i}", f"Norway sold {i} fishing boats to Chile") for i in range(3000)]

    def fake(root, n, rng):
        return everything, random.Random(rng).sample(everything, n)

    monkeypatch.setattr(behaviour, "checkthat_claims", fake)
    _, reported = fake(None, *behaviour.REPORTED)
    taken = {c.id for c in reported}
    pool = [c for c in everything if c.id not in taken]
    fitted = {c.id for c in random.Random(behaviour.FITTED[1]).sample(pool, behaviour.FITTED[0])}
    _, dev = behaviour.development_claims(None, 300, 21)
    assert len(dev) == 300
    assert not ({c.id for c in dev} & (taken | fitted))
