"""Domain errors. Every message is safe and useful to show to the person who caused it."""

from __future__ import annotations

__all__ = [
    "ClaimNotFound",
    "ClaimsError",
    "DuplicateClaim",
    "ExistingClaims",
    "FetchRefused",
    "InvalidClaimFile",
    "InvalidInput",
    "InvalidLexicon",
    "ReportNotFound",
    "SourceFetchError",
    "StoreBusy",
    "StoreUnavailable",
]


class ClaimsError(Exception):
    """Base of every claims_db error; ``str(exc)`` is a one-line message for a user."""


class ClaimNotFound(ClaimsError):
    def __init__(self, claim_id: str) -> None:
        super().__init__(f"No claim with id {claim_id!r}.")
        self.claim_id = claim_id


class DuplicateClaim(ClaimsError):
    def __init__(self, claim_id: str) -> None:
        super().__init__(f"A claim with id {claim_id!r} already exists; ids are never reused.")
        self.claim_id = claim_id


class ReportNotFound(ClaimsError):
    def __init__(self, report_id: int) -> None:
        super().__init__(f"No report #{report_id}.")
        self.report_id = report_id


class InvalidInput(ClaimsError):
    """One value a person typed is wrong; the message says which and how to fix it."""


class InvalidClaimFile(ClaimsError):
    """A claim file (or one claim) failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], *, source: str = "claim file") -> None:
        count = len(problems)
        head = f"{source} has {count} problem{'s' if count != 1 else ''}; nothing was changed"
        super().__init__(head + ":\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems
        self.summary = head


class InvalidLexicon(ClaimsError):
    """A lexicon data file (aliases, concepts, word lists) failed validation.

    ``path`` names the file and ``problems`` lists every problem found, each naming its entry.
    """

    def __init__(self, path: str, problems: list[str]) -> None:
        count = len(problems)
        head = f"lexicon file {path} has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"- {p}" for p in problems))
        self.path = path
        self.problems = problems


class StoreUnavailable(ClaimsError):
    """The store cannot be opened or reached (bad URL, missing driver, server down)."""


class StoreBusy(StoreUnavailable):
    """Another writer held the store's lock for longer than the wait allows; nothing was changed."""

    def __init__(self) -> None:
        super().__init__("The claim store is busy (another change is being written); try again in a moment.")


class ExistingClaims(ClaimsError):
    """An import names claims the store already holds with other content; ``claim_ids`` lists them."""

    def __init__(self, claim_ids: list[str]) -> None:
        count = len(claim_ids)
        shown = ", ".join(claim_ids[:20]) + (f" and {count - 20} more" if count > 20 else "")
        noun = "claim" if count == 1 else "claims"
        verb = "exists" if count == 1 else "exist"
        super().__init__(
            f"{count} {noun} in the file already {verb} in the store with other content ({shown}); "
            "nothing was changed. Import with --update to replace them (--dry-run shows the differences)."
        )
        self.claim_ids = claim_ids


class SourceFetchError(ClaimsError):
    """A URL could not be fetched; ``reason`` is short enough for a table cell."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Cannot fetch {url}: {reason}.")
        self.url = url
        self.reason = reason


class FetchRefused(SourceFetchError):
    """The fetcher would not send the request (scheme, or an address it must not reach)."""


class InvalidFactCheckResponse(ClaimsError):
    """A fact-check search service answered with something that is not its documented shape;
    ``problems`` lists what is wrong, each naming where (``claims[0].claimReview[1].url: ...``)."""

    def __init__(self, problems: list[str], *, service: str = "Google Fact Check Tools") -> None:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(
            f"{service} sent an answer that is not a claims:search response, so it was refused: {shown}."
        )
        self.problems = problems
