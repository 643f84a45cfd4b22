"""Google Fact Check Tools answers read strictly, and one made into a claim draft (pure)."""

from __future__ import annotations

import json

import pytest

from claims_db.errors import InvalidFactCheckResponse
from claims_db.factcheck import DRAFT_TOPIC, ExternalReview, draft, parse_search
from claims_db.models import Status
from claims_db.transfer import claim_from_dict
from tests.conftest import FIXTURES

RECORDED = (FIXTURES / "factcheck" / "search_biolabs.json").read_bytes()


def test_a_recorded_answer_gives_one_review_per_claim_review_in_order() -> None:
    reviews = parse_search(RECORDED)
    assert [(r.publisher, r.rating, r.review_date) for r in reviews] == [
        ("Example Fact Desk", "False", "2022-03-10"),
        ("checkers.example", "Misleading", "2022-03-11"),  # no name: the site stands in
        ("Wire Check", "Lacks evidence", "2022-03-28"),
        ("Fourth Checker", "False", None),
    ]
    first = reviews[0]
    assert first == ExternalReview(
        claim_text="The Pentagon is funding secret bioweapons labs in Ukraine",
        claimant="Social media users",
        claim_date="2022-03-08",
        publisher="Example Fact Desk",
        site="factdesk.example",
        rating="False",
        url="https://factdesk.example/2022/03/ukraine-biolabs",
        title="No, the US is not running bioweapons labs in Ukraine",
        review_date="2022-03-10",
    )
    assert len({r.key for r in reviews}) == 4 and all(len(r.key) == 16 for r in reviews)


def test_nothing_found_is_an_empty_object() -> None:
    assert parse_search(b"{}") == []
    assert parse_search({"claims": []}) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html>502 Bad Gateway</html>", "the body is not JSON"),
        (b"[1, 2]", "the body should be a JSON object, not list"),
        (b'{"claims": {"text": "x"}}', "claims: should be a list, not dict"),
        (b'{"claims": [{"claimReview": []}]}', "claims[0].text: missing"),
        (b'{"claims": [{"text": "x", "claimReview": {}}]}', "claims[0].claimReview: should be a list"),
        (
            b'{"claims": [{"text": "x", "claimReview": [{"publisher": {}, "url": "https://a.example/",'
            b' "textualRating": "False"}]}]}',
            "claims[0].claimReview[0].publisher: has neither name nor site",
        ),
        (
            b'{"claims": [{"text": "x", "claimReview": [{"publisher": {"name": "P"},'
            b' "url": "javascript:alert(1)", "textualRating": "False"}]}]}',
            "claims[0].claimReview[0].url: not an http(s) URL",
        ),
        (
            b'{"claims": [{"text": "x", "claimReview": [{"publisher": {"name": "P"}, "url": "https://a.example/"}]}]}',
            "claims[0].claimReview[0].textualRating: missing",
        ),
        (
            b'{"claims": [{"text": "x", "claimDate": "yesterday", "claimReview": []}]}',
            "claims[0].claimDate: not a timestamp ('yesterday')",
        ),
        (b'{"claims": [{"text": 7, "claimReview": []}]}', "claims[0].text: should be a string, not int"),
    ],
)
def test_an_answer_out_of_shape_is_refused_saying_where(body: bytes, problem: str) -> None:
    with pytest.raises(InvalidFactCheckResponse) as exc:
        parse_search(body)
    assert problem in exc.value.problems
    assert str(exc.value).startswith(
        "Google Fact Check Tools sent an answer that is not a claims:search response, so it was refused: "
    )


def test_every_problem_is_listed_not_just_the_first() -> None:
    data = json.loads(RECORDED)
    del data["claims"][0]["claimReview"][0]["url"]
    data["claims"][2]["claimReview"][0]["textualRating"] = ""
    with pytest.raises(InvalidFactCheckResponse) as exc:
        parse_search(data)
    assert exc.value.problems == [
        "claims[0].claimReview[0].url: missing",
        "claims[2].claimReview[0].textualRating: empty",
    ]


def test_a_review_becomes_an_unverified_draft_attributed_to_its_claimant() -> None:
    review = parse_search(RECORDED)[0]
    claim = claim_from_dict({"id": "draft-1", **draft(review)})
    assert claim.status is Status.UNVERIFIED
    assert claim.statement == "The Pentagon is funding secret bioweapons labs in Ukraine"
    [a] = claim.attributions
    assert (a.actor, a.verb, a.date) == ("Social media users", "claims", "2022-03-08")
    [s] = claim.sources
    assert (s.outlet, s.url, s.date) == ("Example Fact Desk", review.url, "2022-03-10")
    assert claim.summary is not None and "Example Fact Desk rated this “False” on 2022-03-10" in claim.summary
    assert claim.topics == (DRAFT_TOPIC,) and claim.reviewed is None


def test_a_review_without_a_claimant_or_with_a_long_claim_still_makes_a_valid_draft() -> None:
    review = parse_search(RECORDED)[2]
    long = ExternalReview("word " * 100, None, None, "P", None, "False", "https://p.example/x")
    for r in (review, long):
        claim = claim_from_dict({"id": "draft-2", **draft(r)})
        assert len(claim.statement) <= 300
    assert draft(long)["attributions"][0]["actor"] == "An unnamed claimant"
