"""The claim file format: what a curator's file gets back when it is wrong, and round trips."""

from __future__ import annotations

import json

import pytest

from claims_db.errors import InvalidClaimFile, InvalidInput
from claims_db.models import Status
from claims_db.transfer import dump_claims, parse_claims, parse_part, slugify
from tests.conftest import claim_dict


def problems_for(data: object, **kwargs: str) -> list[str]:
    with pytest.raises(InvalidClaimFile) as exc:
        parse_claims(json.dumps(data), **kwargs)
    return exc.value.problems


def test_a_valid_file_parses_into_claims_with_tuples() -> None:
    [claim] = parse_claims(json.dumps([claim_dict()]))
    assert claim.status is Status.ALLEGED
    assert claim.attributions[0].speaker == "Secretary of State Antony Blinken"
    assert claim.attributions[1].verb == "says"
    assert claim.paraphrases == ("Tehran sent ballistic missiles to Moscow",)
    assert claim.texts[0] == claim.statement


def test_each_problem_names_the_claim_the_field_and_what_is_wrong() -> None:
    bad = claim_dict(status="rumoured", reviewed="2024-02-30")
    bad["attributions"][0]["date"] = "10/09/2024"
    bad["sources"][0]["url"] = "javascript:alert(1)"
    bad["colour"] = "red"
    problems = problems_for([bad])
    text = "\n".join(problems)
    assert len(problems) == 5
    assert all(p.startswith("claim 'iran-srbm-russia' (#1 in the file): ") for p in problems)
    assert "status: input should be 'alleged', 'disputed'" in text
    assert "reviewed: '2024-02-30' is not a real calendar date" in text
    assert "attributions[0].date: must be a date as YYYY-MM-DD, YYYY-MM or YYYY, not '10/09/2024'" in text
    assert "sources[0].url: URL must start with http:// or https://" in text
    assert "colour: unknown field" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": "Iran Missiles"}, "id: must be 3 to 80 characters of a-z, 0-9 and '-'"),
        ({"statement": "too short"}, "statement: string should have at least 10 characters"),
        ({"statement": "x" * 301}, "statement: string should have at most 300 characters"),
        ({"attributions": []}, "a claim needs at least one attribution"),
        ({"related": ["iran-srbm-russia"]}, "a claim cannot be related to itself"),
        (
            {"paraphrases": ["Tehran sent missiles to Moscow"] * 2},
            "paraphrases: 'Tehran sent missiles to Moscow' is listed twice",
        ),
    ],
)
def test_field_rules(change: dict[str, object], expected: str) -> None:
    assert any(expected in p for p in problems_for([claim_dict(**change)]))


def test_missing_required_fields_are_named() -> None:
    data = claim_dict()
    del data["status"], data["attributions"]
    problems = problems_for([data])
    assert "claim 'iran-srbm-russia' (#1 in the file): status: is required" in problems
    assert "claim 'iran-srbm-russia' (#1 in the file): attributions: is required" in problems


def test_the_whole_file_is_checked_and_duplicate_ids_are_caught() -> None:
    problems = problems_for(
        [claim_dict(), claim_dict(), claim_dict("ok-claim", status="nope"), "not an object"],
        filename="curated.json",
    )
    assert "claim 'iran-srbm-russia' (#2 in the file): id already used by claim #1" in problems
    assert any(p.startswith("claim 'ok-claim' (#3 in the file): status:") for p in problems)
    assert "item #4: must be a claim object, not str" in problems


def test_the_error_message_counts_problems_and_says_nothing_changed() -> None:
    with pytest.raises(InvalidClaimFile) as exc:
        parse_claims(json.dumps([claim_dict(status="x"), claim_dict("b-c-d", status="y")]), filename="f.json")
    assert str(exc.value).splitlines()[0] == "f.json has 2 problems; nothing was changed:"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b"[{", "not valid JSON: Expecting property name enclosed in double quotes at line 1, column 3"),
        (b'{"claims": 1}', "the file must be a JSON array of claim objects"),
        (b"\xff\xfe\x00", "the file is not UTF-8 text"),
    ],
)
def test_undecodable_files(payload: bytes, expected: str) -> None:
    with pytest.raises(InvalidClaimFile) as exc:
        parse_claims(payload, filename="claims.json")
    assert exc.value.problems[0].startswith(expected)


def test_yaml_with_the_same_shape_is_accepted() -> None:
    text = """
- id: kakhovka-dam
  statement: Russian forces blew up the Kakhovka dam in June 2023
  status: disputed
  attributions:
    - actor: Ukraine
      date: 2023-06
"""
    [claim] = parse_claims(text, filename="claims.yaml")
    assert claim.attributions[0].date == "2023-06"


def test_export_then_import_round_trips_and_leaves_out_empty_fields(
    sample_claims: list[dict[str, object]],
) -> None:
    claims = parse_claims(json.dumps(sample_claims))
    dumped = dump_claims(claims)
    assert parse_claims(dumped) == claims
    first = json.loads(dumped)[0]
    assert list(first)[:3] == ["id", "statement", "status"]
    nk = next(c for c in json.loads(dumped) if c["id"] == "nk-missiles-russia")
    assert "paraphrases" not in nk and "summary" not in nk


def test_parse_part_explains_bad_admin_input() -> None:
    with pytest.raises(InvalidInput, match=r"Invalid source: url: URL must start with http:// or https://"):
        parse_part("source", {"outlet": "x", "url": "ftp://example.org/a"})
    with pytest.raises(
        InvalidInput, match=r"Invalid attribution: date: '2024-13' is not a real calendar date"
    ):
        parse_part("attribution", {"actor": "Iran", "date": "2024-13"})
    denial = parse_part("denial", {"actor": "Iran", "quote": "", "source": {"outlet": "", "url": None}})
    assert denial.source is None and denial.quote is None


def test_slugify_makes_unique_valid_ids() -> None:
    assert slugify("Iran supplied missiles to Russia!") == "iran-supplied-missiles-to-russia"
    assert slugify("Iran supplied missiles to Russia", taken={"iran-supplied-missiles-to-russia"}).endswith(
        "-2"
    )
    assert slugify("!!") == "claim"


CLAIMREVIEW = {
    "@context": "https://schema.org",
    "@graph": [
        {
            "@type": "ClaimReview",
            "url": "https://factcheck.example.org/biolabs",
            "claimReviewed": "The United States runs bioweapons labs in Ukraine",
            "author": {"@type": "Organization", "name": "Example Fact Check"},
            "datePublished": "2022-03-11T09:00:00Z",
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Russian MoD"},
                             "datePublished": "2022-03-06"},
            "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
        },
        {
            "@type": "ClaimReview",
            "claimReviewed": "A viral clip shows missiles hitting Kyiv last night",
            "author": {"name": "Other Checker"},
            "reviewRating": {"alternateName": "Old footage, recycled"},
        },
    ],
}  # fmt: skip


def test_claimreview_maps_statement_author_rating_and_source() -> None:
    from claims_db.transfer import parse_claimreview

    first, second = parse_claimreview(json.dumps(CLAIMREVIEW))
    assert first.statement == "The United States runs bioweapons labs in Ukraine"
    assert first.status is Status.FALSE
    assert first.attributions[0].actor == "Russian MoD" and first.attributions[0].date == "2022-03-06"
    assert first.sources[0].outlet == "Example Fact Check"
    assert first.sources[0].url == "https://factcheck.example.org/biolabs"
    assert first.reviewed == "2022-03-11"
    assert second.status is Status.UNVERIFIED
    assert second.summary == "Rated “Old footage, recycled” by Other Checker."
    assert second.attributions[0].actor == "Unattributed posts"


def test_claimreview_export_reads_back() -> None:
    from claims_db.transfer import dump_claimreview, parse_claimreview

    claims = parse_claims(json.dumps([claim_dict(status="false")]))
    back = parse_claimreview(dump_claimreview(claims))
    assert back[0].statement == claims[0].statement
    assert back[0].status is Status.FALSE
    assert back[0].attributions[0].actor == "United States"


def test_a_file_with_no_claimreview_is_refused() -> None:
    from claims_db.transfer import parse_claimreview

    with pytest.raises(InvalidClaimFile, match=r"no schema\.org ClaimReview objects found"):
        parse_claimreview(json.dumps([{"@type": "Article"}]))
