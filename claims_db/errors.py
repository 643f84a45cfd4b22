"""Domain errors. Every message is safe and useful to show to the person who caused it."""

from __future__ import annotations

__all__ = [
    "ClaimNotFound",
    "ClaimsError",
    "DuplicateClaim",
    "FetchRefused",
    "InvalidClaimFile",
    "InvalidInput",
    "ReportNotFound",
    "SourceFetchError",
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


class StoreUnavailable(ClaimsError):
    """The store cannot be opened or reached (bad URL, missing driver, server down)."""


class SourceFetchError(ClaimsError):
    """A URL could not be fetched; ``reason`` is short enough for a table cell."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"Cannot fetch {url}: {reason}.")
        self.url = url
        self.reason = reason


class FetchRefused(SourceFetchError):
    """The fetcher would not send the request (scheme, or an address it must not reach)."""
