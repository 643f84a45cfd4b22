"""Parse, validate and dump the claim file format (version 1). Pure: no file or network I/O.

Every problem in a file is reported at once, each naming the claim (id and position), the field and
what is wrong, so a curator can fix a file in one pass.

Files are untrusted: YAML aliases are refused (no billion laughs), duplicate keys are an error,
nesting deeper than ``MAX_DEPTH`` is an error, and text may not hold NUL, other control characters
or lone surrogates (see ``models.check_text``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from claims_db.errors import InvalidClaimFile, InvalidInput
from claims_db.models import Attribution, Claim, Denial, Source, Status, StoredClaim, check_text

__all__ = [
    "CLAIMBOT_EXTENSION",
    "MAX_DEPTH",
    "check_text",
    "claim_from_dict",
    "claim_to_dict",
    "claimreview_to_fields",
    "dump_claimreview",
    "dump_claims",
    "dump_records",
    "field_diff",
    "is_claimreview",
    "loads",
    "parse_claimreview",
    "parse_claimreview_records",
    "parse_claims",
    "parse_part",
    "parse_records",
    "plain",
    "record_to_dict",
    "slugify",
    "to_claimreview",
]

MAX_DEPTH = 50  # a claim file is 4 levels deep; anything far deeper is a mistake or an attack

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
    if kind == "string_unicode":
        msg = "contains a lone surrogate, which is not Unicode text"
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


class _Loader(yaml.SafeLoader):
    """YAML for claim files: no aliases, no duplicate keys; text stays text.

    Only ``true``/``false`` and ``null`` are read as non-strings: a date (``2024-09-10``), a year
    (``2024``) or ``no`` stays what the curator typed, since every claim field is text.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in claim files", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise ValueError(f"duplicate key {key!r}")
        data[key] = value
    return data


def _check_depth(data: object) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, dict | list) else []
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidClaimFile([f"the file is nested more than {MAX_DEPTH} levels deep"])
        for child in value.values() if isinstance(value, dict) else value:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))


def _yaml_scalars(data: Any, key: str | None = None) -> Any:
    """YAML's ``false`` is the status ``false``; a date object (explicitly tagged) is its ISO text."""
    if isinstance(data, Mapping):
        return {k: _yaml_scalars(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_yaml_scalars(v, key) for v in data]
    if isinstance(data, bool) and key != "retracted":
        return "true" if data else "false"
    if isinstance(data, dt.date):
        return data.isoformat()[:10]
    return data


def loads(text: str | bytes, *, filename: str | None = None) -> object:
    """Decode a claim file: JSON, or YAML when the name says so (or JSON fails and YAML works)."""
    try:
        return _loads(text, filename=filename)
    except InvalidClaimFile as exc:
        if filename and exc.summary.startswith("claim file "):
            raise InvalidClaimFile(exc.problems, source=filename) from exc
        raise


def _loads(text: str | bytes, *, filename: str | None) -> object:
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
            data = json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            if (filename is not None and filename.lower().endswith(".json")) or text.lstrip()[:1] in "[{":
                raise InvalidClaimFile(
                    [f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]
                ) from exc
        except ValueError as exc:  # from _unique_keys
            raise InvalidClaimFile([f"not a valid claim file: {exc}"]) from exc
        except RecursionError:
            raise InvalidClaimFile([f"the file is nested more than {MAX_DEPTH} levels deep"]) from None
        else:
            _check_depth(data)
            return data
    try:
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        problem = " ".join(str(exc).split("\n")[0:1]) if not is_yaml else _yaml_problem(exc)
        raise InvalidClaimFile([f"neither valid JSON nor YAML: {problem}"]) from exc
    except RecursionError:
        raise InvalidClaimFile([f"the file is nested more than {MAX_DEPTH} levels deep"]) from None
    _check_depth(data)
    return _yaml_scalars(data)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{problem} (line {mark.line + 1})" if mark is not None else str(problem)


def parse_claims(text: str | bytes, *, filename: str | None = None) -> list[Claim]:
    """Parse a whole claim file; all or nothing.

    Raises
    ------
    InvalidClaimFile
        Listing every problem in the file (bad fields, duplicate ids, unknown related ids are
        left to the caller, who knows the store).
    """
    return [r.claim for r in parse_records(text, filename=filename)]


_RECORD_KEYS = ("retracted", "retracted_reason")


def _record(item: Mapping[str, Any], position: int | None) -> StoredClaim:
    """One claim object with its retraction state (``retracted``, ``retracted_reason``)."""
    fields = {k: v for k, v in item.items() if k not in _RECORD_KEYS}
    problems: list[str] = []
    label = _label(item, position)
    retracted = item.get("retracted", False)
    reason = item.get("retracted_reason")
    if not isinstance(retracted, bool):
        problems.append(f"{label}: retracted: must be true or false")
    elif retracted and not (isinstance(reason, str) and len(" ".join(reason.split())) >= 3):
        problems.append(f"{label}: retracted_reason: a retracted claim needs its reason (3+ characters)")
    elif reason is not None and not retracted:
        problems.append(f"{label}: retracted_reason: only a retracted claim has one")
    elif isinstance(reason, str):
        reason = " ".join(reason.split())
        try:
            check_text(reason)
        except ValueError as exc:
            problems.append(f"{label}: retracted_reason: {exc}")
    try:
        claim = claim_from_dict(fields, position=position)
    except InvalidClaimFile as exc:
        problems = exc.problems + problems
    if problems:
        raise InvalidClaimFile(problems, source=label)
    return StoredClaim(claim, retracted=bool(retracted), retracted_reason=reason if retracted else None)


def parse_records(text: str | bytes | object, *, filename: str | None = None) -> list[StoredClaim]:
    """Parse a claim file with each claim's retraction state (as ``export --all`` writes it).

    A single claim object (as ``claimbot show ID --json`` prints it) is a file of one claim.

    Raises
    ------
    InvalidClaimFile
        Listing every problem in the file.
    """
    data = loads(text, filename=filename) if isinstance(text, str | bytes) else text
    if isinstance(data, Mapping) and "claims" not in data and "id" in data:
        data = [data]
    if not isinstance(data, list):
        raise InvalidClaimFile(["the file must be a JSON array of claim objects"])
    records: list[StoredClaim] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data):
        if not isinstance(item, Mapping):
            problems.append(f"item #{i + 1}: must be a claim object, not {type(item).__name__}")
            continue
        try:
            record = _record(item, i)
        except InvalidClaimFile as exc:
            problems.extend(exc.problems)
            continue
        claim_id = record.claim.id
        if claim_id in seen:
            problems.append(
                f"claim {claim_id!r} (#{i + 1} in the file): id already used by claim #{seen[claim_id] + 1}"
            )
        seen.setdefault(claim_id, i)
        records.append(record)
    if problems:
        raise InvalidClaimFile(problems, source=filename or "claim file")
    return records


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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def plain(value: Any) -> Any:
    """A claim or one of its parts as JSON-ready data, empty values left out."""
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = tuple(f.name for f in dataclasses.fields(value) if not f.name.startswith("__"))
        _FIELD_NAMES[type(value)] = names
    if names is not None:
        out = {}
        for name in names:
            item = getattr(value, name)
            if item is not None and item != ():
                out[name] = plain(item)
        return out
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


def record_to_dict(claim: Claim, retracted: bool = False, reason: str | None = None) -> dict[str, Any]:
    """A claim as a file-format object, with ``retracted`` and its reason when it is retracted."""
    data = claim_to_dict(claim)
    if retracted:
        data["retracted"] = True
        data["retracted_reason"] = reason
    return data


def dump_records(records: Iterable[StoredClaim]) -> str:
    """A claim file that keeps retractions (``export --all``); imports back as it was."""
    items = [record_to_dict(r.claim, r.retracted, r.retracted_reason) for r in records]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _brief(value: Any, width: int = 100) -> str:
    text = "(none)" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def field_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """What changes between two file-format objects, one line per field: ``status: "a" → "b"``;
    list fields name the items removed (``-``) and added (``+``)."""
    lines = []
    for key in (*_ORDER, *_RECORD_KEYS):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, list) or isinstance(new, list):
            old_items, new_items = list(old or []), list(new or [])
            parts = [f"- {_brief(x)}" for x in old_items if x not in new_items]
            parts += [f"+ {_brief(x)}" for x in new_items if x not in old_items]
            lines.append(f"{key}: " + ("; ".join(parts) if parts else "same items, new order"))
        else:
            lines.append(f"{key}: {_brief(old)} → {_brief(new)}")
    return lines


def slugify(text: str, *, taken: Iterable[str] = ()) -> str:
    """A claim id from a statement: lower-case words joined by '-', made unique against ``taken``."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    base = ""
    for word in words:  # whole words only, up to 60 characters
        if base and len(base) + 1 + len(word) > 60:
            break
        base = f"{base}-{word}" if base else word[:60]
    base = base or "claim"
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


# Our own claims ride along in each ClaimReview whole, under this property (a JSON-LD term in the
# ``claimbot`` namespace that the exported ``@context`` declares): the claim-file object, retraction
# included. Other consumers ignore it; our import reads it instead of the lossy ClaimReview fields.
CLAIMBOT_EXTENSION = "claimbot:claim"
CLAIMBOT_CONTEXT = {"claimbot": "urn:claimbot:claim-format:1#"}
_ID_RE = re.compile(r"^[a-z0-9-]{3,80}$")


def claimreview_to_fields(review: Mapping[str, Any], *, taken: Iterable[str] = ()) -> dict[str, Any]:
    """One schema.org ClaimReview as claim-file fields (validate them with ``claim_from_dict``).

    ``identifier`` becomes the id when it is a valid claim id (else the id is made from the
    statement), ``claimReviewed`` the statement, ``itemReviewed.author`` the attribution,
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
    identifier = review.get("identifier")
    own_id = isinstance(identifier, str) and _ID_RE.match(identifier) is not None
    fields: dict[str, Any] = {
        "id": identifier if own_id else slugify(statement, taken=taken),
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


def is_claimreview(text: str | bytes | object, *, filename: str | None = None) -> bool:
    """Whether a file (its text, or its data as ``loads`` decoded it) holds schema.org ClaimReview
    objects rather than claim-format objects."""
    try:
        data = loads(text, filename=filename) if isinstance(text, str | bytes) else text
    except InvalidClaimFile:
        return False
    try:
        return bool(_reviews(data))
    except RecursionError:
        return False


def parse_claimreview_records(
    text: str | bytes | object, *, filename: str | None = None, taken: Iterable[str] = ()
) -> tuple[list[StoredClaim], frozenset[str]]:
    """Parse schema.org ClaimReview JSON-LD (one object, a list, or an ``@graph``); all or nothing.

    A review carrying the claimbot extension (our own export) gives back that claim exactly,
    retraction included. Others are mapped by ``claimreview_to_fields``; the same review twice
    (same ``identifier``, or same ``url`` and statement) is read once. Returns the claims and the
    ids that were made up from statements (the caller may need to move them off taken ids).
    """
    reviews = _reviews(loads(text, filename=filename) if isinstance(text, str | bytes) else text)
    if not reviews:
        raise InvalidClaimFile(['no schema.org ClaimReview objects found ("@type": "ClaimReview")'])
    used = set(taken)
    records: list[StoredClaim] = []
    derived: set[str] = set()
    seen_ids: set[str] = set()
    seen_urls: set[tuple[str, str]] = set()
    problems: list[str] = []
    for i, review in enumerate(reviews):
        extension = review.get(CLAIMBOT_EXTENSION)
        try:
            if isinstance(extension, Mapping):
                record = _record(extension, i)
            else:
                url_key = (str(review.get("url") or ""), " ".join(str(review.get("claimReviewed")).split()))
                identifier = review.get("identifier")
                if (url_key[0] and url_key in seen_urls) or (
                    isinstance(identifier, str) and identifier in seen_ids
                ):
                    continue  # the same review again
                seen_urls.add(url_key)
                fields = claimreview_to_fields(review, taken=used | seen_ids)
                if fields["id"] != identifier:
                    derived.add(fields["id"])
                record = StoredClaim(claim_from_dict(fields, position=i))
        except InvalidClaimFile as exc:
            problems.extend(p.replace(" in the file)", " ClaimReview in the file)") for p in exc.problems)
            continue
        if record.claim.id in seen_ids:
            problems.append(f"claim {record.claim.id!r} (#{i + 1} ClaimReview in the file): id used twice")
            continue
        seen_ids.add(record.claim.id)
        records.append(record)
    if problems:
        raise InvalidClaimFile(problems, source=filename or "ClaimReview file")
    return records, frozenset(derived)


def parse_claimreview(
    text: str | bytes, *, filename: str | None = None, taken: Iterable[str] = ()
) -> list[Claim]:
    """The claims of a ClaimReview file (see ``parse_claimreview_records``)."""
    return [r.claim for r in parse_claimreview_records(text, filename=filename, taken=taken)[0]]


_STATUS_RATING = {
    Status.FALSE: 1,
    Status.MISLEADING: 2,
    Status.UNVERIFIED: 3,
    Status.ALLEGED: 3,
    Status.DISPUTED: 3,
    Status.CONFIRMED: 5,
}


def to_claimreview(
    claim: Claim,
    *,
    reviewer: str = "claimbot curators",
    retracted: bool = False,
    retracted_reason: str | None = None,
) -> dict[str, Any]:
    """A claim as a schema.org ClaimReview object (JSON-LD).

    ClaimReview has room for one claim author, a rating and a review URL. What it cannot carry
    (further attributions, denials, paraphrases, summary, topics, related ids, the other sources,
    the retraction) is kept whole in the ``claimbot:claim`` extension, so that our own import
    loses nothing; a foreign consumer sees only the standard properties.
    """
    first = claim.attributions[0]
    item: dict[str, Any] = {"@type": "Claim", "author": {"@type": "Organization", "name": first.actor}}
    if first.date:
        item["datePublished"] = first.date
    review: dict[str, Any] = {
        "@context": ["https://schema.org", CLAIMBOT_CONTEXT],
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
    review[CLAIMBOT_EXTENSION] = record_to_dict(claim, retracted, retracted_reason)
    return review


def dump_claimreview(claims: Iterable[Claim | StoredClaim], *, reviewer: str = "claimbot curators") -> str:
    """Claims as a JSON-LD array of ClaimReview objects."""
    items = []
    for c in claims:
        record = c if isinstance(c, StoredClaim) else StoredClaim(c)
        items.append(
            to_claimreview(
                record.claim,
                reviewer=reviewer,
                retracted=record.retracted,
                retracted_reason=record.retracted_reason,
            )
        )
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
