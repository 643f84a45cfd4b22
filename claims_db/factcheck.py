"""Published fact-checks elsewhere: Google Fact Check Tools ``claims:search`` answers, read strictly.

``parse_search`` turns a response into ``ExternalReview``s (one per claim review), refusing anything
that is not the documented shape with every problem named; ``draft`` makes one of them a claim in
the claim file format, ``unverified`` and attributed to its claimant, for a curator to review. Pure:
the request itself is ``claims_db.sources.search_fact_checks``.

The documented response (``FactCheckedClaimSearchResponse``)::

    {"claims": [{"text": str, "claimant": str, "claimDate": RFC 3339 timestamp,
                 "claimReview": [{"publisher": {"name": str, "site": str}, "url": str, "title": str,
                                  "reviewDate": RFC 3339 timestamp, "textualRating": str,
                                  "languageCode": str}]}],
     "nextPageToken": str}

A search that finds nothing answers ``{}``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from claims_db.errors import InvalidFactCheckResponse
from claims_db.models import check_url

__all__ = ["DRAFT_TOPIC", "ExternalReview", "draft", "parse_search"]

DRAFT_TOPIC = "fact-check-draft"
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ].*)?$")


@dataclasses.dataclass(frozen=True, slots=True)
class ExternalReview:
    """One published fact-check of one claim, as the search service reports it."""

    claim_text: str
    claimant: str | None
    claim_date: str | None  # YYYY-MM-DD
    publisher: str
    site: str | None
    rating: str
    url: str
    title: str | None = None
    review_date: str | None = None  # YYYY-MM-DD

    @property
    def key(self) -> str:
        """A short stable id of the review (its URL hashed), for a button's custom id."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]


def _text(value: object, where: str, problems: list[str], *, required: bool) -> str | None:
    if value is None:
        if required:
            problems.append(f"{where}: missing")
        return None
    if not isinstance(value, str):
        problems.append(f"{where}: should be a string, not {type(value).__name__}")
        return None
    text = " ".join(value.split())
    if not text and required:
        problems.append(f"{where}: empty")
    return text or None


def _date(value: object, where: str, problems: list[str]) -> str | None:
    text = _text(value, where, problems, required=False)
    if text is None:
        return None
    m = _DATE.match(text)
    if not m:
        problems.append(f"{where}: not a timestamp ({text[:40]!r})")
        return None
    return m[1]


def parse_search(data: bytes | str | Mapping[str, Any]) -> list[ExternalReview]:
    """The reviews in a ``claims:search`` response, in the order given (claims, then their reviews).

    Raises
    ------
    InvalidFactCheckResponse
        The answer is not JSON, or not the documented shape; every problem is listed.
    """
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise InvalidFactCheckResponse(["the body is not JSON"]) from None
    if not isinstance(data, Mapping):
        raise InvalidFactCheckResponse([f"the body should be a JSON object, not {type(data).__name__}"])
    claims = data.get("claims", [])
    if not isinstance(claims, list):
        raise InvalidFactCheckResponse([f"claims: should be a list, not {type(claims).__name__}"])
    problems: list[str] = []
    found: list[ExternalReview] = []
    for i, claim in enumerate(claims):
        where = f"claims[{i}]"
        if not isinstance(claim, Mapping):
            problems.append(f"{where}: should be an object")
            continue
        text = _text(claim.get("text"), f"{where}.text", problems, required=True)
        claimant = _text(claim.get("claimant"), f"{where}.claimant", problems, required=False)
        claim_date = _date(claim.get("claimDate"), f"{where}.claimDate", problems)
        reviews = claim.get("claimReview", [])
        if not isinstance(reviews, list):
            problems.append(f"{where}.claimReview: should be a list")
            continue
        for j, review in enumerate(reviews):
            at = f"{where}.claimReview[{j}]"
            if not isinstance(review, Mapping):
                problems.append(f"{at}: should be an object")
                continue
            publisher = review.get("publisher")
            if not isinstance(publisher, Mapping):
                problems.append(f"{at}.publisher: should be an object")
                continue
            name = _text(publisher.get("name"), f"{at}.publisher.name", problems, required=False)
            site = _text(publisher.get("site"), f"{at}.publisher.site", problems, required=False)
            if not (name or site):
                problems.append(f"{at}.publisher: has neither name nor site")
            rating = _text(review.get("textualRating"), f"{at}.textualRating", problems, required=True)
            url = _text(review.get("url"), f"{at}.url", problems, required=True)
            if url is not None:
                try:
                    check_url(url)
                except ValueError:
                    problems.append(f"{at}.url: not an http(s) URL")
                    url = None
            title = _text(review.get("title"), f"{at}.title", problems, required=False)
            reviewed = _date(review.get("reviewDate"), f"{at}.reviewDate", problems)
            if text and (name or site) and rating and url:
                found.append(
                    ExternalReview(
                        text, claimant, claim_date, name or site or "", site, rating, url, title, reviewed
                    )
                )
    if problems:
        raise InvalidFactCheckResponse(problems)
    return found


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def draft(review: ExternalReview) -> dict[str, Any]:
    """The review as a claim to curate, in the claim file format: ``unverified``, attributed to its
    claimant ("an unnamed claimant" when the service names none), the review as its source, and the
    publisher's rating in the summary, with the topic ``fact-check-draft`` until a curator reviews it.
    """
    statement = _cut(review.claim_text, 300)
    if len(statement) < 10:
        statement = f"Claim: {statement}".ljust(10, ".")
    attribution: dict[str, Any] = {
        "actor": _cut(review.claimant or "An unnamed claimant", 200),
        "verb": "claims",
    }
    if review.claim_date:
        attribution["date"] = review.claim_date
    source: dict[str, Any] = {"outlet": _cut(review.publisher, 200), "url": review.url}
    if review.title:
        source["title"] = _cut(review.title, 2000)
    if review.review_date:
        source["date"] = review.review_date
    on = f" on {review.review_date}" if review.review_date else ""
    summary = (
        f"{review.publisher} rated this “{review.rating}”{on}. Imported from Google Fact Check Tools as a "
        "draft: a curator has yet to review it."
    )
    return {
        "statement": statement,
        "status": "unverified",
        "summary": _cut(summary, 2000),
        "attributions": [attribution],
        "sources": [source],
        "topics": [DRAFT_TOPIC],
    }
