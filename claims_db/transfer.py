"""Parse, validate and dump the claim file format (version 1). Pure: no file or network I/O.

Every problem in a file is reported at once, each naming the claim (id and position), the field and
what is wrong, so a curator can fix a file in one pass.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from claims_db.errors import InvalidClaimFile, InvalidInput
from claims_db.models import Attribution, Claim, Denial, Source, Status

__all__ = [
    "claim_from_dict",
    "claim_to_dict",
    "claimreview_to_fields",
    "dump_claimreview",
    "dump_claims",
    "is_claimreview",
    "loads",
    "parse_claimreview",
    "parse_claims",
    "parse_part",
    "plain",
    "slugify",
    "to_claimreview",
]

_CLAIM = TypeAdapter(Claim)
_PARTS: dict[str, TypeAdapter[Any]] = {
    "attribution": TypeAdapter(Attribution),
    "denial": TypeAdapter(Denial),
    "source": TypeAdapter(Source),
}


def _where(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    if kind == "unexpected_keyword_argument":
        return "unknown field (check its spelling against the claim format)"
    if kind in (
        "missing",
        "missing_argument",
        "missing_keyword_only_argument",
        "missing_positional_only_argument",
    ):
        return "is required"
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "string_pattern_mismatch" and err["loc"] and err["loc"][-1] in ("id", "related"):
        msg = "must be 3 to 80 characters of a-z, 0-9 and '-'"
    if kind == "string_pattern_mismatch" and "topics" in err["loc"]:
        msg = "must be a slug of a-z, 0-9 and '-'"
    if kind == "enum":
        msg += f", not {err['input']!r}"
    if len(msg) > 1 and msg[1].islower():
        msg = msg[0].lower() + msg[1:]
    return msg or kind


def problems_of(exc: ValidationError) -> list[str]:
    """One readable line per error: ``field.path: what is wrong``."""
    lines = []
    for err in exc.errors():
        where = _where(err["loc"])
        lines.append(f"{where}: {_message(err)}" if where else _message(err))
    return lines


def claim_from_dict(data: object, *, position: int | None = None) -> Claim:
    """Validate one claim object.

    Raises
    ------
    InvalidClaimFile
        With one problem per bad field, each naming the claim id and field.
    """
    try:
        return _CLAIM.validate_python(data)
    except ValidationError as exc:
        label = _label(data, position)
        raise InvalidClaimFile([f"{label}: {p}" for p in problems_of(exc)], source=label) from exc


def _label(data: object, position: int | None) -> str:
    ident = data.get("id") if isinstance(data, Mapping) else None
    at = f" (#{position + 1} in the file)" if position is not None else ""
    return f"claim {ident!r}{at}" if isinstance(ident, str) and ident else f"claim without id{at}"


def loads(text: str | bytes, *, filename: str | None = None) -> object:
    """Decode a claim file: JSON, or YAML when the name says so (or JSON fails and YAML works)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidClaimFile(
                [f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})"]
            ) from exc
    is_yaml = filename is not None and filename.lower().endswith((".yaml", ".yml"))
    if not is_yaml:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if (filename is not None and filename.lower().endswith(".json")) or text.lstrip()[:1] in "[{":
                raise InvalidClaimFile(
                    [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
                ) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidClaimFile([f"neither valid JSON nor YAML: {str(exc).splitlines()[0]}"]) from exc


def parse_claims(text: str | bytes, *, filename: str | None = None) -> list[Claim]:
    """Parse a whole claim file; all or nothing.

    Raises
    ------
    InvalidClaimFile
        Listing every problem in the file (bad fields, duplicate ids, unknown related ids are
        left to the caller, who knows the store).
    """
    data = loads(text, filename=filename)
    if isinstance(data, Mapping) and "claims" not in data and "id" in data:
        data = [data]
    if not isinstance(data, list):
        raise InvalidClaimFile(["the file must be a JSON array of claim objects"])
    claims: list[Claim] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        if not isinstance(item, Mapping):
            problems.append(f"item #{i + 1}: must be a claim object, not {type(item).__name__}")
            continue
        try:
            claim = claim_from_dict(item, position=i)
        except InvalidClaimFile as exc:
            problems.extend(exc.problems)
            continue
        if claim.id in seen:
            problems.append(
                f"claim {claim.id!r} (#{i + 1} in the file): id already used by claim #{seen[claim.id] + 1}"
            )
        seen.setdefault(claim.id, i)
        claims.append(claim)
    if problems:
        raise InvalidClaimFile(problems, source=filename or "claim file")
    return claims


def parse_part(kind: str, fields: Mapping[str, Any]) -> Any:
    """Validate an attribution, denial or source typed by a person.

    Raises
    ------
    InvalidInput
        Naming the field and what is wrong, e.g. ``source.url: URL must start with http://...``.
    """
    cleaned = {k: v for k, v in fields.items() if v not in (None, "")}
    if kind != "source" and isinstance(cleaned.get("source"), Mapping):
        source = {k: v for k, v in cleaned["source"].items() if v not in (None, "")}
        if source:
            cleaned["source"] = source
        else:
            cleaned.pop("source")
    try:
        return _PARTS[kind].validate_python(cleaned)
    except ValidationError as exc:
        raise InvalidInput(f"Invalid {kind}: " + "; ".join(problems_of(exc))) from exc


def plain(value: Any) -> Any:
    """A claim or one of its parts as JSON-ready data, empty values left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) not in (None, ()) and not f.name.startswith("__")
        }
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


_ORDER = (
    "id", "statement", "status", "summary", "paraphrases", "attributions", "denials",
    "sources", "topics", "related", "reviewed",
)  # fmt: skip


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """The claim as a file-format object: empty lists and missing values left out."""
    data = plain(claim)
    return {k: data[k] for k in _ORDER if k in data}


def dump_claims(claims: Iterable[Claim]) -> str:
    """A claim file (JSON array), ids in order, ready to import again."""
    return json.dumps([claim_to_dict(c) for c in claims], ensure_ascii=False, indent=2) + "\n"


def slugify(text: str, *, taken: Iterable[str] = ()) -> str:
    """A claim id from a statement: lower-case words joined by '-', made unique against ``taken``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = "-".join(words)[:60].strip("-") or "claim"
    if len(base) < 3:
        base = f"claim-{base}"
    used = set(taken)
    slug, n = base, 2
    while slug in used:
        slug = f"{base}-{n}"
        n += 1
    return slug


# -- schema.org ClaimReview ---------------------------------------------------------------------

_RATINGS: dict[str, Status] = {
    "false": Status.FALSE,
    "pants on fire": Status.FALSE,
    "fake": Status.FALSE,
    "incorrect": Status.FALSE,
    "wrong": Status.FALSE,
    "mostly false": Status.MISLEADING,
    "misleading": Status.MISLEADING,
    "half true": Status.MISLEADING,
    "mixture": Status.MISLEADING,
    "missing context": Status.MISLEADING,
    "out of context": Status.MISLEADING,
    "true": Status.CONFIRMED,
    "correct": Status.CONFIRMED,
    "confirmed": Status.CONFIRMED,
    "accurate": Status.CONFIRMED,
    "alleged": Status.ALLEGED,
    "disputed": Status.DISPUTED,
    "unproven": Status.UNVERIFIED,
    "unverified": Status.UNVERIFIED,
    "unsupported": Status.UNVERIFIED,
}


def _name(value: object) -> str | None:
    if isinstance(value, Mapping):
        name = value.get("name")
        return str(name).strip() if name else None
    if isinstance(value, list) and value:
        return _name(value[0])
    return str(value).strip() if isinstance(value, str) and value.strip() else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _day(value: object) -> str | None:
    text = str(value or "")[:10]
    return text if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None


def _reviews(data: object) -> list[Mapping[str, Any]]:
    if isinstance(data, list):
        return [r for item in data for r in _reviews(item)]
    if isinstance(data, Mapping):
        if "@graph" in data:
            return _reviews(data["@graph"])
        kind = data.get("@type")
        if kind == "ClaimReview" or (isinstance(kind, list) and "ClaimReview" in kind):
            return [data]
    return []


def claimreview_to_fields(review: Mapping[str, Any], *, taken: Iterable[str] = ()) -> dict[str, Any]:
    """One schema.org ClaimReview as claim-file fields (validate them with ``claim_from_dict``).

    ``claimReviewed`` becomes the statement, ``itemReviewed.author`` the first attribution,
    ``reviewRating.alternateName`` the status (kept verbatim in the summary when it does not map),
    and the review's ``url``/``author`` a source.
    """
    statement = " ".join(str(review.get("claimReviewed") or "").split())
    item: Mapping[str, Any] = _mapping(review.get("itemReviewed"))
    rating: Mapping[str, Any] = _mapping(review.get("reviewRating"))
    verdict = " ".join(str(rating.get("alternateName") or "").split())
    reviewer = _name(review.get("author"))
    status = _RATINGS.get(verdict.lower().rstrip(".!"))
    summary = None
    if status is None:
        status = Status.UNVERIFIED
        if verdict:
            summary = f"Rated “{verdict}” by {reviewer or 'the reviewer'}."
    attribution: dict[str, Any] = {
        "actor": _name(item.get("author")) or "Unattributed posts",
        "verb": "claims",
    }
    if _day(item.get("datePublished")):
        attribution["date"] = _day(item.get("datePublished"))
    source = {k: v for k, v in {"outlet": reviewer, "url": review.get("url"),
                                "date": _day(review.get("datePublished"))}.items() if v}  # fmt: skip
    fields: dict[str, Any] = {
        "id": slugify(statement, taken=taken),
        "statement": statement,
        "status": str(status),
        "attributions": [attribution],
    }
    if summary:
        fields["summary"] = summary
    if source.get("outlet") or source.get("url"):
        fields["sources"] = [source]
    if _day(review.get("datePublished")):
        fields["reviewed"] = _day(review.get("datePublished"))
    return fields


def is_claimreview(text: str | bytes, *, filename: str | None = None) -> bool:
    """Whether a file holds schema.org ClaimReview objects rather than claim-format objects."""
    try:
        return bool(_reviews(loads(text, filename=filename)))
    except InvalidClaimFile:
        return False


def parse_claimreview(
    text: str | bytes, *, filename: str | None = None, taken: Iterable[str] = ()
) -> list[Claim]:
    """Parse schema.org ClaimReview JSON-LD (one object, a list, or an ``@graph``); all or nothing."""
    reviews = _reviews(loads(text, filename=filename))
    if not reviews:
        raise InvalidClaimFile(['no schema.org ClaimReview objects found ("@type": "ClaimReview")'])
    used = set(taken)
    claims: list[Claim] = []
    problems: list[str] = []
    for i, review in enumerate(reviews):
        fields = claimreview_to_fields(review, taken=used)
        used.add(fields["id"])
        try:
            claims.append(claim_from_dict(fields, position=i))
        except InvalidClaimFile as exc:
            problems.extend(p.replace(" in the file)", " ClaimReview in the file)") for p in exc.problems)
    if problems:
        raise InvalidClaimFile(problems, source=filename or "ClaimReview file")
    return claims


_STATUS_RATING = {
    Status.FALSE: 1,
    Status.MISLEADING: 2,
    Status.UNVERIFIED: 3,
    Status.ALLEGED: 3,
    Status.DISPUTED: 3,
    Status.CONFIRMED: 5,
}


def to_claimreview(claim: Claim, *, reviewer: str = "claimbot curators") -> dict[str, Any]:
    """A claim as a schema.org ClaimReview object (JSON-LD)."""
    first = claim.attributions[0]
    item: dict[str, Any] = {"@type": "Claim", "author": {"@type": "Organization", "name": first.actor}}
    if first.date:
        item["datePublished"] = first.date
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": claim.id,
        "claimReviewed": claim.statement,
        "author": {"@type": "Organization", "name": reviewer},
        "itemReviewed": item,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": _STATUS_RATING[claim.status],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": str(claim.status).capitalize(),
        },
    }
    url = next((s.url for s in claim.sources if s.url), None)
    if url:
        review["url"] = url
    if claim.reviewed:
        review["datePublished"] = claim.reviewed
    return review


def dump_claimreview(claims: Iterable[Claim], *, reviewer: str = "claimbot curators") -> str:
    """Claims as a JSON-LD array of ClaimReview objects."""
    return (
        json.dumps([to_claimreview(c, reviewer=reviewer) for c in claims], ensure_ascii=False, indent=2)
        + "\n"
    )
