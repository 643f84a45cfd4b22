"""ClaimService: the use cases that the Discord cogs and the command line call.

The service owns the matcher (an in-memory index kept in step with the store) and writes through the
store, so an added or edited claim is matchable as soon as the call returns. Several processes (bot
shards, the CLI) may share one database: ``refresh`` picks up their changes from the audit log.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from claims_db import transfer, wording
from claims_db.errors import ClaimNotFound, InvalidClaimFile, InvalidInput
from claims_db.matching import Matcher, Thresholds
from claims_db.models import (
    Attribution,
    AuditEntry,
    Claim,
    Denial,
    GuildSettings,
    Match,
    MatchResult,
    Report,
    Source,
    SourceCheck,
    StoredClaim,
    Verdict,
)
from claims_db.store.base import ClaimStore

if TYPE_CHECKING:
    from claims_db.sources import LinkChecker

__all__ = ["CheckOutcome", "ClaimService", "ImportReport", "source_urls"]


@dataclasses.dataclass(frozen=True, slots=True)
class CheckOutcome:
    """A checked message: the matcher's result, the claims it names, and the reply wording."""

    result: MatchResult
    claims: Mapping[str, Claim]
    reply: wording.Reply

    def to_json(self) -> dict[str, Any]:
        """The ``claimbot check --json`` object."""
        return {
            "text": self.result.text,
            "verdict": str(self.result.verdict),
            "framing": str(self.result.framing),
            "matches": [
                {
                    "claim_id": m.claim_id,
                    "score": round(m.score, 4),
                    "statement": self.claims[m.claim_id].statement,
                    "status": str(self.claims[m.claim_id].status),
                    "verdict": str(m.verdict),
                    "why": m.why,
                }
                for m in self.result.matches
            ],
            "reply": self.reply.text,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    unchanged: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"Imported {len(self.added) + len(self.replaced)} claims "
            f"({len(self.added)} new, {len(self.replaced)} updated, {len(self.unchanged)} unchanged)."
        )


class ClaimService:
    """Claims, matching, curation, guild settings and the review queue, over one ``ClaimStore``.

    Parameters
    ----------
    store
        An open store (see ``claims_db.store.open_store``).
    thresholds
        Matching thresholds; the matcher's calibrated defaults when None.
    refresh_interval
        How often (seconds) ``check`` looks for changes other processes made to the store.
    """

    def __init__(
        self,
        store: ClaimStore,
        *,
        thresholds: Thresholds | None = None,
        refresh_interval: float = 1.0,
    ) -> None:
        self.store = store
        self.matcher = Matcher(thresholds=thresholds)
        self._claims: dict[str, Claim] = {}
        self._seen_seq = 0
        self._refresh_interval = refresh_interval
        self._last_refresh = 0.0
        self._refresh_lock = asyncio.Lock()

    # -- loading and matching -------------------------------------------------------------------

    async def load(self, *, seed_if_empty: bool = False) -> int:
        """Fill the matcher from the store; the claim count.

        With ``seed_if_empty``, a store that was never written to gets the bundled seed claims first
        (a store made with ``claimbot init --empty`` has an audit entry, so it stays empty).
        """
        if seed_if_empty and await self.store.last_seq() == 0:
            await self.store.apply(bundled_claims(), actor="system:seed", note="bundled seed claims")
        self._seen_seq = await self.store.last_seq()
        stored = await self.store.list_all()
        self.matcher = Matcher((s.claim for s in stored), thresholds=self.matcher.thresholds)
        self._claims = {s.claim.id: s.claim for s in stored}
        self._last_refresh = time.monotonic()
        return len(self._claims)

    async def refresh(self) -> int:
        """Take in changes other processes made to the store; the number of claims updated."""
        async with self._refresh_lock:
            seq, changed = await self.store.changed_since(self._seen_seq)
            for stored in changed:
                self._index(stored)
            self._seen_seq = max(self._seen_seq, seq)
            self._last_refresh = time.monotonic()
            return len(changed)

    def _index(self, stored: StoredClaim) -> None:
        if stored.retracted:
            self.matcher.remove(stored.claim.id)
            self._claims.pop(stored.claim.id, None)
        else:
            self.matcher.add(stored.claim)
            self._claims[stored.claim.id] = stored.claim

    async def _maybe_refresh(self) -> None:
        if (
            time.monotonic() - self._last_refresh >= self._refresh_interval
            and not self._refresh_lock.locked()
        ):
            await self.refresh()

    def check_now(self, text: str, *, limit: int = 3, threshold: float | None = None) -> CheckOutcome:
        """Match one message against the loaded claims, without touching the store."""
        result = self.matcher.check(text, limit=limit)
        if threshold is not None:
            result = _rethreshold(result, threshold)
        return self._outcome(result)

    def check_many(self, texts: Sequence[str], *, limit: int = 3) -> list[CheckOutcome]:
        """Match a batch of messages (the CLI's ``--batch``)."""
        return [self._outcome(r) for r in self.matcher.check_many(texts, limit=limit)]

    def _outcome(self, result: MatchResult) -> CheckOutcome:
        claims = self._claims
        named = {m.claim_id: claims[m.claim_id] for m in result.matches if m.claim_id in claims}
        if len(named) != len(result.matches):  # a claim retracted between match and lookup
            result = dataclasses.replace(
                result, matches=tuple(m for m in result.matches if m.claim_id in named)
            )
        return CheckOutcome(result, named, wording.reply(result, named))

    async def check(
        self,
        text: str,
        *,
        limit: int = 3,
        guild_id: int | None = None,
        settings: GuildSettings | None = None,
    ) -> CheckOutcome:
        """Match a message: ranked candidates, a verdict, the framing and the reply wording.

        Parameters
        ----------
        text
            The message as the user wrote it.
        limit
            How many candidates to return (best first).
        guild_id
            Applies that guild's match threshold, if it set one (read from the store).
        settings
            The guild's settings, when the caller has them already (saves the store read).
        """
        await self._maybe_refresh()
        if settings is None and guild_id is not None:
            settings = await self.store.get_guild_settings(guild_id)
        threshold = settings.match_threshold if settings is not None else None
        return self.check_now(text, limit=limit, threshold=threshold)

    # -- reading --------------------------------------------------------------------------------

    async def get(self, claim_id: str) -> StoredClaim:
        return await self.store.get(claim_id)

    async def list_claims(self, *, include_retracted: bool = False) -> list[StoredClaim]:
        return await self.store.list_all(include_retracted=include_retracted)

    async def search(self, query: str, *, limit: int = 25) -> list[Claim]:
        """Claims whose id or statement contains the query, then the matcher's best guesses."""
        await self._maybe_refresh()
        q = " ".join(query.lower().split())
        if not q:
            return sorted(self._claims.values(), key=lambda c: c.id)[:limit]
        found = [c for c in self._claims.values() if q in c.id or q in c.statement.lower()]
        found.sort(key=lambda c: (not c.id.startswith(q), c.id))
        if len(found) < limit:
            ids = {c.id for c in found}
            for m in self.matcher.check(query, limit=limit).matches:
                if m.claim_id not in ids and m.claim_id in self._claims and m.score > 0:
                    found.append(self._claims[m.claim_id])
        return found[:limit]

    async def history(self, claim_id: str) -> list[AuditEntry]:
        return await self.store.history(claim_id)

    async def export_claims(self, *, include_retracted: bool = False, fmt: str = "claims") -> str:
        """All claims as a claim file (JSON, ready for ``import``) or as ClaimReview JSON-LD."""
        stored = await self.store.list_all(include_retracted=include_retracted)
        if fmt == "claimreview":
            return transfer.dump_claimreview(s.claim for s in stored)
        if fmt != "claims":
            raise InvalidInput(f"Unknown export format {fmt!r}; use claims or claimreview.")
        return transfer.dump_claims(s.claim for s in stored)

    # -- curation -------------------------------------------------------------------------------

    async def add(self, claim: Claim | Mapping[str, Any], *, actor: str) -> Claim:
        """Store a new claim (a ``Claim`` or a mapping in the file format; ``id`` derived if missing)."""
        if not isinstance(claim, Claim):
            fields = dict(claim)
            if not fields.get("id"):
                fields["id"] = await self._free_id(str(fields.get("statement", "")))
            claim = _validated(fields)
        await self._check_related(claim)
        await self.store.add(claim, actor=actor)
        self._index(StoredClaim(claim))
        return claim

    async def _free_id(self, statement: str) -> str:
        """An id from the statement that no claim, retracted ones included, has ever had."""
        tried: set[str] = set()
        while True:
            candidate = transfer.slugify(statement, taken=tried)
            try:
                await self.store.get(candidate)
            except ClaimNotFound:
                return candidate
            tried.add(candidate)

    async def replace(self, claim: Claim, *, actor: str, note: str | None = None) -> Claim:
        await self._check_related(claim)
        await self.store.replace(claim, actor=actor, note=note)
        self._index(StoredClaim(claim))
        return claim

    async def edit(self, claim_id: str, changes: Mapping[str, Any], *, actor: str) -> Claim:
        """Change top-level fields (statement, status, summary, reviewed, topics, ...)."""
        if "id" in changes and changes["id"] != claim_id:
            raise InvalidInput("A claim's id cannot change; add a new claim and retract this one instead.")
        current = transfer.claim_to_dict((await self.store.get(claim_id)).claim)
        for key, value in changes.items():
            if value is None or value == "":
                current.pop(key, None)
            else:
                current[key] = value
        return await self.replace(_validated(current), actor=actor)

    async def _add_part(self, claim_id: str, key: str, item: Any, *, actor: str) -> Claim:
        current = transfer.claim_to_dict((await self.store.get(claim_id)).claim)
        current[key] = [*current.get(key, []), item]
        return await self.replace(_validated(current), actor=actor)

    async def add_attribution(self, claim_id: str, fields: Mapping[str, Any], *, actor: str) -> Claim:
        part = transfer.parse_part("attribution", fields)
        return await self._add_part(claim_id, "attributions", _as_dict(part), actor=actor)

    async def add_denial(self, claim_id: str, fields: Mapping[str, Any], *, actor: str) -> Claim:
        part = transfer.parse_part("denial", fields)
        return await self._add_part(claim_id, "denials", _as_dict(part), actor=actor)

    async def add_source(self, claim_id: str, fields: Mapping[str, Any], *, actor: str) -> Claim:
        part = transfer.parse_part("source", fields)
        return await self._add_part(claim_id, "sources", _as_dict(part), actor=actor)

    async def add_paraphrase(self, claim_id: str, text: str, *, actor: str) -> Claim:
        claim = (await self.store.get(claim_id)).claim
        text = " ".join(text.split())
        if text.lower() in (t.lower() for t in claim.texts):
            raise InvalidInput(f"Claim {claim_id!r} already has that wording.")
        return await self._add_part(claim_id, "paraphrases", text, actor=actor)

    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None:
        """Hide a claim from matching; it and its history stay in the store."""
        reason = " ".join(reason.split())
        if len(reason) < 3:
            raise InvalidInput("Give a reason for the retraction (at least 3 characters).")
        await self.store.retract(claim_id, reason, actor=actor)
        self.matcher.remove(claim_id)
        self._claims.pop(claim_id, None)

    async def restore(self, claim_id: str, *, actor: str) -> None:
        await self.store.restore(claim_id, actor=actor)
        self._index(await self.store.get(claim_id))

    async def import_claims(
        self, data: str | bytes, *, actor: str, filename: str | None = None, fmt: str = "auto"
    ) -> ImportReport:
        """Import a claim file: every claim or none; the error lists every problem.

        Parameters
        ----------
        fmt
            ``claims`` (the claim file format), ``claimreview`` (schema.org ClaimReview JSON-LD), or
            ``auto`` to tell them apart by content.
        """
        existing = {s.claim.id: s for s in await self.store.list_all(include_retracted=True)}
        if fmt == "claimreview" or (fmt == "auto" and transfer.is_claimreview(data, filename=filename)):
            claims = transfer.parse_claimreview(data, filename=filename, taken=existing)
        elif fmt in ("claims", "auto"):
            claims = transfer.parse_claims(data, filename=filename)
        else:
            raise InvalidInput(f"Unknown import format {fmt!r}; use claims, claimreview or auto.")
        known = set(existing) | {c.id for c in claims}
        problems = [
            f"claim {c.id!r}: related: no claim with id {r!r} in the file or the store"
            for c in claims
            for r in c.related
            if r not in known
        ]
        if problems:
            raise InvalidClaimFile(problems, source=filename or "claim file")
        added, replaced, unchanged = [], [], []
        for c in claims:
            old = existing.get(c.id)
            if old is None:
                added.append(c.id)
            elif old.claim != c or old.retracted:
                replaced.append(c.id)
            else:
                unchanged.append(c.id)
        await self.store.apply(claims, actor=actor, note=f"import of {filename}" if filename else "import")
        for c in claims:
            self._index(StoredClaim(c))
        return ImportReport(tuple(added), tuple(replaced), tuple(unchanged))

    async def _check_related(self, claim: Claim) -> None:
        missing = [r for r in claim.related if r not in self._claims]
        for r in missing:
            try:
                await self.store.get(r)
            except ClaimNotFound:
                raise InvalidInput(f"related: no claim with id {r!r}.") from None

    # -- guild settings -------------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        return await self.store.get_guild_settings(guild_id)

    async def update_guild_settings(self, guild_id: int, *, actor: str, **changes: Any) -> GuildSettings:
        """Change a guild's settings; unknown names and out-of-range values are InvalidInput."""
        current = await self.store.get_guild_settings(guild_id)
        allowed = {f.name for f in dataclasses.fields(GuildSettings)} - {"guild_id", "watch_channels"}
        for key, value in changes.items():
            if key not in allowed:
                raise InvalidInput(f"Unknown setting {key!r}; known: {', '.join(sorted(allowed))}.")
            _check_setting(key, value)
        updated = dataclasses.replace(current, **changes)
        await self.store.put_guild_settings(updated, actor=actor)
        return updated

    async def set_watch(self, guild_id: int, channel_id: int, enabled: bool, *, actor: str) -> GuildSettings:
        current = await self.store.get_guild_settings(guild_id)
        channels = set(current.watch_channels)
        if enabled:
            channels.add(channel_id)
        else:
            channels.discard(channel_id)
        updated = dataclasses.replace(current, watch_channels=frozenset(channels))
        await self.store.put_guild_settings(updated, actor=actor)
        return updated

    # -- review queue ---------------------------------------------------------------------------

    async def file_report(
        self,
        *,
        guild_id: int,
        reporter_id: int,
        message_text: str,
        claim_id: str | None,
        comment: str | None,
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> Report:
        """Put a "Wrong match?" report into the guild's review queue."""
        report = Report(
            id=0,
            guild_id=guild_id,
            reporter_id=reporter_id,
            message_text=message_text[:4000],
            claim_id=claim_id,
            comment=(comment or None) and comment[:1000],
            created_at=_utcnow(),
            channel_id=channel_id,
            message_id=message_id,
        )
        return await self.store.add_report(report)

    async def get_report(self, report_id: int) -> Report:
        return await self.store.get_report(report_id)

    async def reports(self, guild_id: int, *, status: str = "open") -> list[Report]:
        return await self.store.list_reports(guild_id, status=status)

    async def resolve_report(self, report_id: int, *, actor: str, accept_as: str | None) -> Report:
        """Accept a report (its message becomes a paraphrase of ``accept_as``) or dismiss it (None)."""
        report = await self.store.get_report(report_id)
        if report.status != "open":
            raise InvalidInput(f"Report #{report_id} was already {report.status}.")
        if accept_as is None:
            return await self.store.resolve_report(report_id, status="dismissed", actor=actor)
        claim = (await self.store.get(accept_as)).claim
        text = " ".join(report.message_text.split())
        current = transfer.claim_to_dict(claim)
        if text.lower() not in (t.lower() for t in claim.texts):
            if len(text) > 300:
                raise InvalidInput(
                    "The reported message is longer than 300 characters; add a shorter paraphrase."
                )
            current["paraphrases"] = [*current.get("paraphrases", []), text]
        updated = _validated(current)
        resolved = await self.store.resolve_report(
            report_id, status="accepted", actor=actor, paraphrase_of=updated
        )
        self._index(StoredClaim(updated))
        return resolved

    # -- link health ----------------------------------------------------------------------------

    async def check_sources(
        self, checker: LinkChecker, *, claim_id: str | None = None, now: dt.datetime | None = None
    ) -> list[SourceCheck]:
        """Check the source URLs of one claim (or of every claim not retracted) and store the results.

        Each distinct URL is fetched once however many claims cite it; the results come back in
        claim order, each claim's URLs in the order the card lists them.
        """
        stored = [await self.store.get(claim_id)] if claim_id else await self.store.list_all()
        pairs = [(s.claim.id, url) for s in stored for url in source_urls(s.claim)]
        found = await checker.check_all([url for _, url in pairs])
        when = now or dt.datetime.now(dt.UTC)
        checks = [
            SourceCheck(
                claim_id=cid,
                url=url,
                checked=when,
                status=found[url].status,
                final_url=found[url].final_url,
                title=found[url].title,
                error=found[url].error,
            )
            for cid, url in pairs
        ]
        return await self.store.put_source_checks(checks)

    async def source_checks(self, claim_id: str | None = None) -> list[SourceCheck]:
        """The last stored check of each source URL (of one claim, or all)."""
        return await self.store.list_source_checks(claim_id)


def source_urls(claim: Claim) -> list[str]:
    """The distinct source URLs of a claim, in the order its card lists its sources."""
    return list(dict.fromkeys(s.url for s in wording.all_sources(claim) if s.url))


def bundled_claims() -> list[Claim]:
    """The seed claims shipped with claimbot (``claims_db/data/seed_claims.json``)."""
    data = resources.files("claims_db").joinpath("data/seed_claims.json").read_bytes()
    return transfer.parse_claims(data, filename="seed_claims.json")


def _validated(fields: Mapping[str, Any]) -> Claim:
    try:
        return transfer.claim_from_dict(fields)
    except InvalidClaimFile as exc:
        # one claim typed by a person: drop the "claim 'x':" prefix of each problem
        problems = [p.split(": ", 1)[1] if p.startswith("claim ") else p for p in exc.problems]
        raise InvalidInput("; ".join(problems)) from exc


def _as_dict(part: Attribution | Denial | Source) -> dict[str, Any]:
    data: dict[str, Any] = transfer.plain(part)
    return data


def _check_setting(key: str, value: Any) -> None:
    if key == "match_threshold" and value is not None and not 0.0 < float(value) <= 1.0:
        raise InvalidInput("match_threshold must be between 0 and 1.")
    if key.endswith("_s") and not 0 <= float(value) <= 86400:
        raise InvalidInput(f"{key} must be between 0 and 86400 seconds.")
    if key == "check_rate_per_minute" and not 1 <= int(value) <= 120:
        raise InvalidInput("check_rate_per_minute must be between 1 and 120.")


def _rethreshold(result: MatchResult, threshold: float) -> MatchResult:
    """Apply a guild's own confident-match threshold; it can only raise the bar, since a
    POSSIBLE may have been held back for safety (actors or direction disagree), not for score."""
    matches = tuple(
        Match(m.claim_id, m.score, Verdict.POSSIBLE, m.why)
        if m.verdict is Verdict.MATCH and m.score < threshold
        else m
        for m in result.matches
    )
    verdict = matches[0].verdict if matches else Verdict.NONE
    return dataclasses.replace(result, matches=matches, verdict=verdict)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
