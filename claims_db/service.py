"""ClaimService: the use cases that the Discord cogs and the command line call.

The service owns the matcher (an in-memory index kept in step with the store) and writes through the
store, so an added or edited claim is matchable as soon as the call returns. The index is built only
when something matches (``load()``, or the first ``check``), so reading commands never pay for it.
Several processes (bot shards, the CLI) may share one database: ``refresh`` picks up their changes
from the audit log. Every read-modify-write of a claim is one store transaction (``store.update``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claims_db import followups, language, transfer, wording
from claims_db import unanswered as questions
from claims_db.errors import ClaimNotFound, ClaimsError, ExistingClaims, InvalidClaimFile, InvalidInput
from claims_db.language import CrossLanguage
from claims_db.matching import Matcher, Thresholds, analysis_version, frame, prepared_key
from claims_db.matching.calibrate import model_file
from claims_db.models import (
    SETTING_BOUNDS,
    AskedVia,
    Attribution,
    AuditEntry,
    CardKind,
    Claim,
    Denial,
    ExportFormat,
    GuildSettings,
    Match,
    MatchResult,
    PostedCard,
    Report,
    ReportStatus,
    Source,
    SourceCheck,
    StoredClaim,
    Unanswered,
    Verdict,
)
from claims_db.semantic.ann import AnnSettings, AnnUnavailable, ann_settings
from claims_db.semantic.encoder import ModelInfo
from claims_db.semantic.index import SemanticIndex, claim_texts, gives_word_vectors
from claims_db.semantic.prefilter import Prefilter
from claims_db.semantic.tier import ModelEncoder, Tier, resolve_tier
from claims_db.semantic.vectors import VectorSet, usable_vectors
from claims_db.store.base import ClaimStore, FeedPosition, Progress, Write
from claims_db.store.cache import AnalysisCache

log = logging.getLogger(__name__)

# More changes than this from another process are applied to the index off the event loop.
BULK_CHANGES = 64

log = logging.getLogger(__name__)
# --batch encodes this many messages at once (the encoder batches them 32 at a time).
QUERY_BATCH = 256

__all__ = [
    "REPORT_COMMENT_LIMIT",
    "REPORT_TEXT_LIMIT",
    "CheckOutcome",
    "ClaimService",
    "ImportReport",
    "SemanticStatus",
    "ServiceEvents",
    "Via",
    "source_urls",
]

# What a "Wrong match?" report keeps: the checked text (a Discord message is at most 2,000 characters,
# 4,000 with Nitro) and the reporter's comment, cut to these lengths whatever the caller sends.
REPORT_TEXT_LIMIT = 2000
REPORT_COMMENT_LIMIT = 500

if TYPE_CHECKING:
    from claims_db.sources import LinkChecker
    from claims_db.store.notify import Change, ChangeListener


class ServiceEvents:
    """What the service tells an observer (the bot's metrics); every method does nothing here."""

    def index_built(self, seconds: float, claims: int) -> None:
        """The match index was built whole (at start, or for a bulk change) in ``seconds``."""

    def changes_applied(self, count: int, lag_s: float | None) -> None:
        """Changes from other processes reached the index; ``lag_s``: since the oldest was written."""

    def store_error(self) -> None:
        """Following the store's changes failed once (it is retried)."""

    def listener_state(self, connected: bool) -> None:
        """The change listener (PostgreSQL) connected or lost its connection."""


@dataclasses.dataclass(frozen=True, slots=True)
class Via:
    """What matched when it was not the message's own words: a linked page's ``og:title``,
    ``title`` or ``description``."""

    url: str
    what: str
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class CheckOutcome:
    """A checked message: the matcher's result, the claims it names, and the reply wording."""

    result: MatchResult
    claims: Mapping[str, Claim]
    reply: wording.Reply
    via: Via | None = None  # set when a linked page matched rather than the message
    # set when the message is in another language than the claim it matched (or may match)
    across: CrossLanguage | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``claimbot check --json`` object; ``across_languages`` only when the match was."""
        out: dict[str, Any] = {
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
        if self.across is not None:
            out["across_languages"] = {"message": self.across.message, "claim": self.across.claim}
        return out


def _count(n: int, noun: str = "claim") -> str:
    return wording.counted(n, noun)


@dataclasses.dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    added: tuple[str, ...]
    replaced: tuple[str, ...]
    unchanged: tuple[str, ...]
    kept_retracted: tuple[str, ...] = ()  # retracted in the store, active in the file: left retracted
    diffs: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # field-level, per id
    dry_run: bool = False

    def __str__(self) -> str:
        kept = ""
        if self.kept_retracted:
            ids = ", ".join(self.kept_retracted[:10]) + (" ..." if len(self.kept_retracted) > 10 else "")
            kept = (
                f" {_count(len(self.kept_retracted))} stayed retracted ({ids}); "
                "import with --restore to make them active again."
            )
        if not self.dry_run:
            return (
                f"Imported {_count(len(self.added) + len(self.replaced))} "
                f"({len(self.added)} new, {len(self.replaced)} updated, {len(self.unchanged)} unchanged)."
                + kept
            )
        lines = ["Dry run: nothing was changed."]
        if self.added:
            lines.append(f"Would add {_count(len(self.added))}: {', '.join(self.added)}")
        if self.replaced:
            lines.append(f"Would change {_count(len(self.replaced))}:")
            for claim_id in self.replaced:
                lines.append(f"  {claim_id}")
                lines += [f"    {d}" for d in self.diffs.get(claim_id, ())]
        lines.append(f"Would leave {_count(len(self.unchanged))} unchanged." + kept)
        return "\n".join(lines)


@dataclasses.dataclass(frozen=True, slots=True)
class SemanticStatus:
    """What ``claimbot doctor`` reports about the semantic tier.

    ``current`` claims have a stored vector, made by the model in use, for every text; ``missing``
    have none for some text; ``stale`` rows were made by another model (name or checksum differ).
    """

    active: bool
    model: ModelInfo | None
    reason: str | None
    switched_off: bool
    claims: int
    current: int
    missing: int
    stale_models: Mapping[tuple[str, str], int]
    ann: AnnSettings | None = None  # the approximate index asked for (None: the request is wrong)
    ann_problem: str | None = None  # what is wrong with it
    decision: str = "decision.json"  # the shipped decision model the matcher applies

    @property
    def ann_used(self) -> bool:
        """Whether searches of this store go through the approximate index."""
        return self.active and self.ann is not None and self.ann.wanted(self.claims)

    @property
    def ann_line(self) -> str:
        """What doctor says about the approximate index."""
        if self.ann is None:
            return f"off: {self.ann_problem}"
        return self.ann.describe(self.claims)

    @property
    def problems(self) -> list[str]:
        """What is wrong, each with what to do (empty: all is well)."""
        out: list[str] = []
        if not self.active and not self.switched_off:
            out.append(f"the semantic tier cannot run: {self.reason}")
        if self.active and self.stale_models:
            models = ", ".join(f"{m} ({c[:12]})" for m, c in sorted(self.stale_models))
            out.append(
                f"{sum(self.stale_models.values())} stored vectors were made with another model ({models}): "
                "run `claimbot reindex`"
            )
        if self.active and self.ann_problem:
            out.append(f"the approximate index cannot run: {self.ann_problem}")
        if self.active and self.missing:
            out.append(
                f"{self.missing} of {self.claims} claims have no current vectors (they are encoded at "
                "every start): run `claimbot reindex`"
            )
        return out


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the index is built.

    Building it makes millions of small objects that all stay alive; the collector would walk the
    growing heap again and again for nothing (about a third of a second of a 14k-claim start-up).
    Reference counting still frees what is dropped; the collector resumes as it was.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


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
    semantic
        The semantic tier: ``False`` turns it off, ``None`` lets ``CLAIMBOT_SEMANTIC`` decide; it is
        on when the encoder loads (else matching is lexical, and ``semantic_tier().reason`` says why).
    encoder
        The encoder to use instead of the shared one (tests).
    screening
        Build watch mode's lexical prefilter with the index (the bot does; it costs about as much
        as analysing the store once more, so commands that never screen leave it out).
    cache_dir
        Where claims' analyses are kept between runs (``claims_db.store.cache``), so that the
        next start-up does not analyse every claim again; ``None`` keeps nothing. The command
        line and the bot pass ``cache_dir()`` (``CLAIMBOT_CACHE_DIR``).
    """

    def __init__(
        self,
        store: ClaimStore,
        *,
        thresholds: Thresholds | None = None,
        refresh_interval: float = 1.0,
        semantic: bool | None = None,
        encoder: ModelEncoder | None = None,
        screening: bool = False,
        cache_dir: Path | None = None,
    ) -> None:
        self.store = store
        self._cache_dir = cache_dir
        self._thresholds = thresholds
        self._matcher: Matcher | None = None
        self._semantic: SemanticIndex | None = None
        self._prefilter: Prefilter | None = None
        self._claims: dict[str, Claim] = {}
        self._position = FeedPosition()
        self._refresh_interval = refresh_interval
        self._last_refresh = 0.0
        self._refresh_lock = asyncio.Lock()
        self.events = ServiceEvents()
        self.on_settings_change: Callable[[], None] | None = None  # another process changed a guild's
        self._listener: ChangeListener | None = None
        self._wake: asyncio.Event | None = None
        self._oldest_unapplied: float | None = None  # when the oldest change heard of was written
        self.last_notified_audit_id = 0
        self._index_lock = asyncio.Lock()
        self._semantic_wanted = semantic
        self._encoder_given = encoder
        self._tier: Tier | None = None
        self._screening = screening

    @property
    def indexed_claims(self) -> int:
        """How many active claims the match index holds (0 before it is built)."""
        return len(self._claims)

    @property
    def live(self) -> bool:
        """Whether changes arrive as they commit (a connected PostgreSQL listener), not by polling."""
        return self._listener is not None and self._listener.connected

    @property
    def listener(self) -> ChangeListener | None:
        return self._listener

    @contextlib.asynccontextmanager
    async def following(self, *, reconnect_delay: float = 0.5) -> AsyncIterator[None]:
        """Apply other processes' changes to the index as they commit, while the block runs.

        On PostgreSQL a ``LISTEN`` on a connection of its own hears of every committed change
        (``claims_db.store.notify``) and the change feed is read at once; after a reconnect it
        catches up from the audit log where it left off, so nothing is missed. While it is
        disconnected, and on SQLite, ``check`` polls every ``refresh_interval`` as before.
        """
        listener = self.store.change_listener(
            on_change=self._heard, on_connect=self._caught_up, reconnect_delay=reconnect_delay
        )
        if listener is None:
            yield
            return
        self._wake = asyncio.Event()
        listener.on_state = self.events.listener_state
        self._listener = listener
        tasks = [
            asyncio.create_task(listener.run(), name="claimbot-listen"),
            asyncio.create_task(self._follow(self._wake), name="claimbot-follow"),
        ]
        try:
            yield
        finally:
            await listener.stop()
            self._listener = None
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _heard(self, change: Change) -> None:
        if change.audit_id is not None:
            self.last_notified_audit_id = max(self.last_notified_audit_id, change.audit_id)
        if self._oldest_unapplied is None and change.at is not None:
            self._oldest_unapplied = change.at
        if change.action == "guild-settings" and self.on_settings_change is not None:
            self.on_settings_change()
        if self._wake is not None:
            self._wake.set()

    async def _caught_up(self) -> None:
        # right after LISTEN: what committed while nobody listened is in the audit log
        if self._wake is not None:
            self._wake.set()
        if self.on_settings_change is not None:
            self.on_settings_change()

    async def _follow(self, wake: asyncio.Event) -> None:
        while True:
            await wake.wait()
            wake.clear()
            oldest, self._oldest_unapplied = self._oldest_unapplied, None
            try:
                count = await self.refresh()
            except Exception as exc:  # the driver's own errors too: this task must outlive them
                log.warning("following the store's changes failed: %s; retrying in 1 s", _first_line(exc))
                self.events.store_error()
                self._oldest_unapplied = oldest
                await asyncio.sleep(1.0)
                wake.set()
                continue
            lag = None if oldest is None else max(0.0, time.time() - oldest)
            if count or lag is not None:
                self.events.changes_applied(count, lag)

    # -- the semantic tier ----------------------------------------------------------------------

    async def semantic_tier(self) -> Tier:
        """The tier this service uses (the encoder is loaded on first need, off the event loop)."""
        if self._tier is None:
            tier = await asyncio.to_thread(
                resolve_tier, enabled=self._semantic_wanted, encoder=self._encoder_given
            )
            if self._tier is None:
                self._tier = tier
        return self._tier

    async def _encoder(self) -> ModelEncoder | None:
        tier = await self.semantic_tier()
        return tier.encoder

    async def _vectors_for(
        self, claims: Sequence[Claim], *, progress: Callable[[int], Any] | None = None
    ) -> VectorSet | None:
        """Vectors for every text of these claims: stored ones that are current, the rest encoded
        in a worker thread (in batches across claims); None when the tier is off."""
        encoder = await self._encoder()
        if encoder is None or not claims:
            return None
        model = encoder.info
        usable = usable_vectors(await self.store.get_vectors([c.id for c in claims]), claims, model)
        todo = [c for c in claims if c.id not in usable.vectors]
        vectors = dict(usable.vectors)
        if todo:
            index = SemanticIndex(encoder, ann=AnnSettings())  # encodes only: no search
            vectors.update(await asyncio.to_thread(index.embed, todo, progress))
        return VectorSet.from_claims(model, vectors, claims)

    async def semantic_status(self) -> SemanticStatus:
        """The tier in use, its model, and how many active claims have current stored vectors."""
        tier = await self.semantic_tier()
        stored = await self.store.list_all()
        claims = [s.claim for s in stored]
        model = tier.encoder.info if tier.encoder is not None else None
        if model is None:
            return SemanticStatus(False, None, tier.reason, tier.switched_off, len(claims), 0, 0, {})
        usable = usable_vectors(await self.store.get_vectors(), claims, model)
        ann: AnnSettings | None = None
        ann_problem = None
        try:
            ann = ann_settings()
        except AnnUnavailable as exc:
            ann_problem = str(exc)
        return SemanticStatus(
            True,
            model,
            None,
            False,
            len(claims),
            len(usable.vectors),
            len(usable.missing),
            usable.stale_models,
            ann,
            ann_problem,
            model_file(semantic=True, aligns=gives_word_vectors(tier.encoder)),
        )

    async def reindex(
        self, *, everything: bool = False, progress: Callable[[int, int], Any] | None = None
    ) -> tuple[int, int, int]:
        """Compute and store the vectors of every active claim that lacks current ones (all with
        ``everything``), and drop those of retracted claims; (claims encoded, texts encoded,
        claims already current). ``progress(texts done, texts to encode)`` hears after each batch.

        Raises ``InvalidInput`` with the reason when the tier is off.
        """
        tier = await self.semantic_tier()
        if tier.encoder is None:
            raise InvalidInput(f"The semantic tier is off: {tier.reason}.")
        encoder = tier.encoder
        claims = [s.claim for s in await self.store.list_all()]
        usable = usable_vectors([] if everything else await self.store.get_vectors(), claims, encoder.info)
        todo = [c for c in claims if c.id not in usable.vectors]
        total = sum(len(claim_texts(c)) for c in todo)
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, total)

        index = SemanticIndex(encoder, ann=AnnSettings())  # encodes only: no search
        for start in range(0, len(todo), 2000):  # stored as it goes: an interrupted run keeps its work
            chunk = todo[start : start + 2000]
            vectors = await asyncio.to_thread(index.embed, chunk, step)
            await self.store.put_vectors(chunk, VectorSet.from_claims(encoder.info, vectors, chunk))
        await self.store.prune_vectors()
        return len(todo), total, len(usable.vectors)

    # -- loading and matching -------------------------------------------------------------------

    @property
    def matcher(self) -> Matcher:
        """The match index; built by ``load()`` or ``ensure_index()`` (and by the first ``check``)."""
        if self._matcher is None:
            raise RuntimeError("the match index is not built yet: await load() or ensure_index() first")
        return self._matcher

    async def load(self, *, seed_if_empty: bool = False, index: bool = True) -> int:
        """Seed the store if asked, and build the match index; the number of claims indexed.

        With ``seed_if_empty``, a store that was never written to gets the bundled seed claims first
        (a store made with ``claimbot init --empty`` has an audit entry, so it stays empty). With
        ``index=False`` the index is left for the first ``check`` and the number of seeded claims is
        returned instead (commands that only read or write claims never need it).
        """
        seeded = 0
        if seed_if_empty and await self.store.last_seq() == 0:
            seed = bundled_claims()
            vectors = await self._vectors_for(seed)
            await self.store.apply(seed, actor="system:seed", note="bundled seed claims", vectors=vectors)
            seeded = len(seed)
        if not index:
            return seeded
        self._matcher = None
        return await self.ensure_index()

    async def ensure_index(self) -> int:
        """Build the match index from the store unless it is built; the number of claims in it.

        With the semantic tier, stored vectors are loaded; claims without current ones are
        encoded (in a worker thread) and the log says which command stores them.
        """
        async with self._refresh_lock:
            if self._matcher is None:
                with _collector_paused():
                    await self._build_index()
            return len(self._claims)

    async def _build_index(self) -> None:
        """Read the store and build the index, its vectors and the prefilter from it."""
        tier = asyncio.ensure_future(self.semantic_tier())  # loads while the store is read
        stored, position = await self.store.snapshot()
        claims = [s.claim for s in stored]
        encoder = (await tier).encoder
        vectors: dict[str, Any] = {}
        if encoder is not None:
            usable = usable_vectors(await self.store.get_vectors(), claims, encoder.info)
            vectors = usable.vectors
            _explain(usable.stale_models, len(usable.missing), len(claims), encoder.info)

        def build() -> tuple[Matcher, SemanticIndex | None, Prefilter | None]:
            # indexing a large store takes seconds: never on the event loop
            sem = SemanticIndex(encoder, claims, vectors=vectors) if encoder is not None else None
            pre = Prefilter(claims) if sem is not None and self._screening else None
            kept = AnalysisCache(self._cache_dir, analysis_version()) if self._cache_dir else None
            prepared = kept.load() if kept is not None else None
            matcher = Matcher(claims, thresholds=self._thresholds, semantic=sem, prepared=prepared)
            if kept is not None and prepared is not None:
                kept.save(prepared, used={prepared_key(c.texts) for c in claims})
            return matcher, sem, pre

        started = time.perf_counter()
        self._matcher, self._semantic, self._prefilter = await asyncio.to_thread(build)
        self.events.index_built(time.perf_counter() - started, len(claims))
        self._claims = {c.id: c for c in claims}
        self._position = position
        self._last_refresh = time.monotonic()
        # The store and its index live as long as the process: move them out of the cyclic
        # collector's sight, which otherwise walks every one of their objects again and again
        # while messages are matched (about 8% of a message's cost at 14k claims). Reference
        # counting still frees whatever is dropped later, such as an old snapshot.
        gc.freeze()

    async def refresh(self) -> int:
        """Take in changes other processes made to the store; the number of claims updated."""
        if self._matcher is None:
            return 0  # nothing to keep in step; the index reads the store when it is built
        async with self._refresh_lock:
            self._position, changed = await self.store.changes(self._position)
            started = time.perf_counter()
            await self._apply(changed)
            if len(changed) > BULK_CHANGES:  # another process's import: one rebuild, off the loop
                self.events.index_built(time.perf_counter() - started, len(self._claims))
            self._last_refresh = time.monotonic()
            return len(changed)

    async def _apply(self, changed: Iterable[StoredClaim], vectors: VectorSet | None = None) -> None:
        """Send one batch of stored changes to the matcher, in one ``Matcher.update``, and to the
        semantic index with the vectors given or stored (encoding only claims that have none).

        Another process's import (more than ``BULK_CHANGES``) and any encoding run in a worker
        thread, while checks go on against the previous snapshot.
        """
        if self._matcher is None:
            return
        upserts: list[Claim] = []
        removals: list[str] = []
        for stored in changed:
            if stored.retracted:
                removals.append(stored.claim.id)
            else:
                upserts.append(stored.claim)
        if not upserts and not removals:
            return
        semantic = self._semantic
        found: dict[str, Any] = {}
        if semantic is not None and upserts:
            if vectors is not None:
                found = {c.id: m for c in upserts if (m := vectors.matrix(c)) is not None}
            rest = [c for c in upserts if c.id not in found]
            encoder = await self._encoder()
            if rest and encoder is not None:
                rows = await self.store.get_vectors([c.id for c in rest])
                found.update(usable_vectors(rows, rest, encoder.info).vectors)

        def apply() -> None:
            if semantic is not None:  # first: the lexical index never names a claim it lacks
                semantic.update(upserts, removals, vectors=found)
            if self._prefilter is not None:
                self._prefilter.update(upserts, removals)
            assert self._matcher is not None
            self._matcher.update(upserts, removals)

        async with self._index_lock:
            if len(upserts) + len(removals) > BULK_CHANGES or (
                semantic is not None and len(found) < len(upserts)
            ):
                await asyncio.to_thread(apply)
            else:
                apply()
            for claim in upserts:
                self._claims[claim.id] = claim
            for claim_id in removals:
                self._claims.pop(claim_id, None)

    async def _maybe_refresh(self) -> None:
        await self.ensure_index()
        if (
            not self.live  # a listener applies changes as they commit: no polling
            and time.monotonic() - self._last_refresh >= self._refresh_interval
            and not self._refresh_lock.locked()
        ):
            await self.refresh()

    def check_now(
        self, text: str, *, limit: int = 3, threshold: float | None = None, screen: bool = False
    ) -> CheckOutcome:
        """Match one message against the loaded claims, without touching the store.

        ``screen`` is watch mode's: with the semantic tier on (and the service built with
        ``screening``), a message that fails the cheap lexical prefilter (too little in common
        with any one claim) is answered ``none`` without encoding it.
        """
        prefilter = self._prefilter
        if screen and prefilter is not None and not prefilter.passes(text):
            return self._outcome(
                MatchResult(text=text, verdict=Verdict.NONE, framing=frame(text), matches=())
            )
        result = self.matcher.check(text, limit=limit)
        if threshold is not None:
            result = _rethreshold(result, threshold)
        return self._outcome(result)

    def check_many(self, texts: Sequence[str], *, limit: int = 3) -> list[CheckOutcome]:
        """Match a batch of messages (the CLI's ``--batch``); with the semantic tier, the messages
        are encoded ``QUERY_BATCH`` at a time."""
        semantic = self._semantic
        out: list[CheckOutcome] = []
        for start in range(0, len(texts), QUERY_BATCH):
            chunk = texts[start : start + QUERY_BATCH]
            if semantic is not None:
                semantic.prime(chunk)
            try:
                out += [self._outcome(r) for r in self.matcher.check_many(chunk, limit=limit)]
            finally:
                if semantic is not None:
                    semantic.unprime()
        return out

    def _outcome(self, result: MatchResult) -> CheckOutcome:
        claims = self._claims
        named = {m.claim_id: claims[m.claim_id] for m in result.matches if m.claim_id in claims}
        if len(named) != len(result.matches):  # a claim retracted between match and lookup
            result = dataclasses.replace(
                result, matches=tuple(m for m in result.matches if m.claim_id in named)
            )
        across = None
        if result.verdict is not Verdict.NONE and result.matches:
            across = language.across(result.text, named[result.matches[0].claim_id].statement)
        return CheckOutcome(result, named, wording.reply(result, named), across=across)

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

    async def refresh_if_due(self) -> None:
        """Take in other processes' changes if ``refresh_interval`` has passed (what ``check`` does
        first); for callers that match with ``check_now`` elsewhere, e.g. on a worker thread."""
        await self._maybe_refresh()

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

    async def export_claims(
        self, *, include_retracted: bool = False, fmt: ExportFormat | str = ExportFormat.CLAIMS
    ) -> str:
        """All claims as a claim file (JSON, ready for ``import``) or as ClaimReview JSON-LD."""
        if fmt not in tuple(ExportFormat):
            raise InvalidInput(f"Unknown export format {fmt!r}; use claims or claimreview.")
        stored = await self.store.list_all(include_retracted=include_retracted)
        if fmt == ExportFormat.CLAIMREVIEW:
            return transfer.dump_claimreview(stored)
        return transfer.dump_records(stored)

    # -- curation -------------------------------------------------------------------------------

    async def add(self, claim: Claim | Mapping[str, Any], *, actor: str) -> Claim:
        """Store a new claim (a ``Claim`` or a mapping in the file format; ``id`` derived if missing)."""
        if not isinstance(claim, Claim):
            fields = dict(claim)
            if not fields.get("id"):
                fields["id"] = await self._free_id(str(fields.get("statement", "")))
            claim = _validated(fields)
        await self._check_related(claim)
        vectors = await self._vectors_for([claim])
        await self.store.add(claim, actor=actor, vectors=vectors)
        await self._apply([StoredClaim(claim)], vectors)
        return claim

    async def _free_id(self, statement: str, *, taken: Iterable[str] = ()) -> str:
        """An id from the statement that no claim, retracted ones included, has ever had."""
        tried: set[str] = set(taken)
        while True:
            candidate = transfer.slugify(statement, taken=tried)
            try:
                await self.store.get(candidate)
            except ClaimNotFound:
                return candidate
            tried.add(candidate)

    async def replace(self, claim: Claim, *, actor: str, note: str | None = None) -> Claim:
        await self._check_related(claim)
        vectors = await self._vectors_for([claim])
        await self.store.replace(claim, actor=actor, note=note, vectors=vectors)
        await self._reindex(claim.id, vectors)
        return claim

    async def _change(self, claim_id: str, change: Callable[[Claim], Claim], *, actor: str) -> Claim:
        """Read, change and write one claim in one store transaction; the matcher follows.

        With the semantic tier the change is first tried on the claim as read, and the vectors of
        the result are computed before the transaction and stored in it; should another writer
        change the texts meanwhile, the texts left over are encoded and stored after it.
        """
        vectors: VectorSet | None = None
        if await self._encoder() is not None:
            try:
                expected = change((await self.store.get(claim_id)).claim)
            except ClaimsError:
                expected = None  # the transaction will raise it again, or not
            if expected is not None:
                vectors = await self._vectors_for([expected])
        updated = await self.store.update(claim_id, change, actor=actor, vectors=vectors)
        if vectors is not None and vectors.matrix(updated) is None:
            vectors = await self._store_vectors(updated)
        await self._reindex(claim_id, vectors)
        return updated

    async def _store_vectors(self, claim: Claim) -> VectorSet | None:
        """Make sure the claim's texts have current stored vectors (after a write that could not
        compute them beforehand); the vectors, or None when the tier is off."""
        vectors = await self._vectors_for([claim])
        if vectors is not None:
            await self.store.put_vectors([claim], vectors)
        return vectors

    async def _reindex(self, claim_id: str, vectors: VectorSet | None = None) -> None:
        if self._matcher is not None:
            await self._apply([await self.store.get(claim_id)], vectors)

    async def edit(self, claim_id: str, changes: Mapping[str, Any], *, actor: str) -> Claim:
        """Change top-level fields (statement, status, summary, reviewed, topics, ...)."""
        if "id" in changes and changes["id"] != claim_id:
            raise InvalidInput("A claim's id cannot change; add a new claim and retract this one instead.")
        await self._check_related_ids(changes.get("related") or ())

        def change(claim: Claim) -> Claim:
            current = transfer.claim_to_dict(claim)
            for key, value in changes.items():
                if value is None or value == "":
                    current.pop(key, None)
                else:
                    current[key] = value
            return _validated(current)

        return await self._change(claim_id, change, actor=actor)

    async def _add_part(self, claim_id: str, key: str, item: Any, *, actor: str) -> Claim:
        def change(claim: Claim) -> Claim:
            current = transfer.claim_to_dict(claim)
            current[key] = [*current.get(key, []), item]
            return _validated(current)

        return await self._change(claim_id, change, actor=actor)

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
        text = " ".join(text.split())

        def change(claim: Claim) -> Claim:
            if text.lower() in (t.lower() for t in claim.texts):
                raise InvalidInput(f"Claim {claim_id!r} already has that wording.")
            return _validated({**transfer.claim_to_dict(claim), "paraphrases": [*claim.paraphrases, text]})

        return await self._change(claim_id, change, actor=actor)

    async def retract(self, claim_id: str, reason: str, *, actor: str) -> None:
        """Hide a claim from matching; it and its history stay in the store."""
        reason = " ".join(reason.split())
        if len(reason) < 3:
            raise InvalidInput("Give a reason for the retraction (at least 3 characters).")
        _check_text(reason, "reason")
        await self.store.retract(claim_id, reason, actor=actor)
        await self._reindex(claim_id)

    async def restore(self, claim_id: str, *, actor: str) -> None:
        await self.store.restore(claim_id, actor=actor)
        vectors = await self._store_vectors((await self.store.get(claim_id)).claim)
        await self._reindex(claim_id, vectors)

    async def import_claims(
        self,
        data: str | bytes,
        *,
        actor: str,
        filename: str | None = None,
        fmt: str = "auto",
        update: bool = False,
        restore: bool = False,
        dry_run: bool = False,
        progress: Progress | None = None,
        encoding: Progress | None = None,
        encode: bool = True,
    ) -> ImportReport:
        """Import a claim file: every claim or none; the error lists every problem.

        Safe by default: new claims are added, claims identical to the stored ones are left alone,
        and a claim the store holds with other content is an error (``ExistingClaims``, listing the
        ids) unless ``update``. A retracted claim stays retracted unless ``restore``; a file can
        retract claims (``"retracted": true`` with a ``retracted_reason``, as ``export --all``
        writes them).

        Parameters
        ----------
        fmt
            ``claims`` (the claim file format), ``claimreview`` (schema.org ClaimReview JSON-LD), or
            ``auto`` to tell them apart by content.
        update
            Replace stored claims whose content differs from the file's.
        restore
            Make retracted claims that the file holds as active active again.
        dry_run
            Change nothing; the report says what would be added, changed (field by field) and left.
        progress
            Called with (claims written, claims to write) as the import goes.
        encoding
            Called with (texts encoded, texts to encode) while the semantic tier computes the
            vectors of the file's claims (in bulk, before the transaction that stores them).
        encode
            False stores the claims without computing vectors (``claimbot import --no-vectors``: a
            big file in seconds rather than minutes); ``reindex`` computes them later, and until
            then each start encodes the claims that lack them.
        """
        if fmt not in ("claims", "claimreview", "auto"):
            raise InvalidInput(f"Unknown import format {fmt!r}; use claims, claimreview or auto.")
        decoded = transfer.loads(data, filename=filename)  # once: big files are slow to decode
        if fmt == "claimreview" or (fmt == "auto" and transfer.is_claimreview(decoded)):
            records, derived = transfer.parse_claimreview_records(decoded, filename=filename)
            records = await self._free_derived_ids(records, derived)
        else:
            records = transfer.parse_records(decoded, filename=filename)
        in_file = {r.claim.id for r in records}
        ids = in_file | {rel for r in records for rel in r.claim.related}
        outcome: dict[str, list[str]] = {"added": [], "replaced": [], "unchanged": [], "kept": []}
        diffs: dict[str, tuple[str, ...]] = {}

        def plan(existing: Mapping[str, StoredClaim]) -> list[Write]:
            for key in outcome:
                outcome[key].clear()
            known = set(existing) | in_file
            problems = [
                f"claim {r.claim.id!r}: related: no claim with id {rel!r} in the file or the store"
                for r in records
                for rel in r.claim.related
                if rel not in known
            ]
            if problems:
                raise InvalidClaimFile(problems, source=filename or "claim file")
            writes: list[Write] = []
            conflicts: list[str] = []
            for r in records:
                old = existing.get(r.claim.id)
                if old is None:
                    outcome["added"].append(r.claim.id)
                    writes.append(Write(r.claim, r.retracted, r.retracted_reason))
                    continue
                was = (old.retracted, old.retracted_reason if old.retracted else None)
                if r.retracted:
                    want = (True, r.retracted_reason)
                elif old.retracted and not restore:
                    want = was
                    outcome["kept"].append(r.claim.id)
                else:
                    want = (False, None)
                content_changed = old.claim != r.claim
                restoring = was[0] and not want[0]
                if (content_changed or (want != was and not restoring)) and not update:
                    conflicts.append(r.claim.id)
                    continue
                if not content_changed and want == was:
                    outcome["unchanged"].append(r.claim.id)
                    continue
                outcome["replaced"].append(r.claim.id)
                diffs[r.claim.id] = tuple(
                    transfer.field_diff(
                        transfer.record_to_dict(old.claim, *was), transfer.record_to_dict(r.claim, *want)
                    )
                )
                writes.append(Write(r.claim, *want))
            if conflicts:
                raise ExistingClaims(conflicts)
            return writes

        note = f"import of {filename}" if filename else "import"
        vectors: VectorSet | None = None
        if not dry_run and encode:
            active = [r.claim for r in records if not r.retracted]
            vectors = await self._vectors_for(active, progress=_counting(encoding, active))
        writes = await self.store.import_claims(
            ids, plan, actor=actor, note=note, dry_run=dry_run, progress=progress, vectors=vectors
        )
        if not dry_run:
            await self._apply(
                [StoredClaim(w.claim, w.retracted, w.retracted_reason) for w in writes], vectors
            )
        return ImportReport(
            tuple(outcome["added"]),
            tuple(outcome["replaced"]),
            tuple(outcome["unchanged"]),
            kept_retracted=tuple(outcome["kept"]),
            diffs=diffs,
            dry_run=dry_run,
        )

    async def _free_derived_ids(
        self, records: list[StoredClaim], derived: frozenset[str]
    ) -> list[StoredClaim]:
        """Ids made up from a statement must not land on a stored claim that says something else
        (the same statement is the same claim: importing a review twice adds it once)."""
        taken = {r.claim.id for r in records}
        out = []
        for r in records:
            if r.claim.id in derived:
                try:
                    stored = await self.store.get(r.claim.id)
                except ClaimNotFound:
                    stored = None
                if stored is not None and stored.claim.statement != r.claim.statement:
                    new_id = await self._free_id(r.claim.statement, taken=taken)
                    taken.add(new_id)
                    r = dataclasses.replace(r, claim=dataclasses.replace(r.claim, id=new_id))
            out.append(r)
        return out

    async def _check_related(self, claim: Claim) -> None:
        await self._check_related_ids(claim.related)

    async def _check_related_ids(self, related: Iterable[str]) -> None:
        missing = [r for r in related if isinstance(r, str) and r not in self._claims]
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
        allowed = {f.name for f in dataclasses.fields(GuildSettings)} - {"guild_id", "watch_channels"}
        for key, value in changes.items():
            if key not in allowed:
                raise InvalidInput(f"Unknown setting {key!r}; known: {', '.join(sorted(allowed))}.")
            _check_setting(key, value)
        return await self.store.update_guild_settings(
            guild_id, lambda current: dataclasses.replace(current, **changes), actor=actor
        )

    async def set_watch(self, guild_id: int, channel_id: int, enabled: bool, *, actor: str) -> GuildSettings:
        def change(current: GuildSettings) -> GuildSettings:
            channels = set(current.watch_channels)
            if enabled:
                channels.add(channel_id)
            else:
                channels.discard(channel_id)
            return dataclasses.replace(current, watch_channels=frozenset(channels))

        return await self.store.update_guild_settings(guild_id, change, actor=actor)

    # -- watch-mode cooldowns -------------------------------------------------------------------

    @property
    def shares_state(self) -> bool:
        """Whether the store is meant to be shared by several processes (PostgreSQL): then state
        that must hold across them, such as watch-mode cooldowns, lives in the store."""
        return self.store.shared

    async def take_cooldowns(self, keys: Mapping[str, float]) -> tuple[bool, dict[str, dt.datetime]]:
        """Start the cooldowns ``keys`` (name -> seconds) in the store if none is running (see
        ``ClaimStore.take_cooldowns``): (True, their ends) or (False, the running ones)."""
        return await self.store.take_cooldowns(keys)

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
            message_text=message_text[:REPORT_TEXT_LIMIT],
            claim_id=claim_id,
            comment=(comment or None) and comment[:REPORT_COMMENT_LIMIT],
            created_at=_utcnow(),
            channel_id=channel_id,
            message_id=message_id,
        )
        return await self.store.add_report(report)

    async def get_report(self, report_id: int) -> Report:
        return await self.store.get_report(report_id)

    async def reports(
        self, guild_id: int, *, status: ReportStatus | None = ReportStatus.OPEN
    ) -> list[Report]:
        """A guild's reports with that status (None: all), oldest first."""
        return await self.store.list_reports(guild_id, status=status)

    async def resolve_report(
        self, report_id: int, *, actor: str, accept_as: str | None, wrong: bool = False
    ) -> Report:
        """Accept a report (its message becomes a paraphrase of ``accept_as``), accept it as a
        wrong match that no claim fits (``wrong``), or dismiss it (neither).

        An accepted report that named a claim other than ``accept_as`` is a labelled negative for
        the matcher (``wrong_match_negatives``)."""
        report = await self.store.get_report(report_id)
        if report.status != ReportStatus.OPEN:
            raise InvalidInput(f"Report #{report_id} was already {report.status}.")
        if accept_as is None:
            status = ReportStatus.ACCEPTED if wrong else ReportStatus.DISMISSED
            return await self.store.resolve_report(report_id, status=status, actor=actor)

        def amend(report: Report, claim: Claim) -> Claim:
            text = " ".join(report.message_text.split())
            if text.lower() in (t.lower() for t in claim.texts):
                return claim
            if len(text) > 300:
                raise InvalidInput(
                    "The reported message is longer than 300 characters; add a shorter paraphrase."
                )
            return _validated({**transfer.claim_to_dict(claim), "paraphrases": [*claim.paraphrases, text]})

        resolved = await self.store.resolve_report(
            report_id, status=ReportStatus.ACCEPTED, actor=actor, amend=amend, claim_id=accept_as
        )
        vectors = await self._store_vectors((await self.store.get(accept_as)).claim)
        await self._reindex(accept_as, vectors)
        return resolved

    async def accepted_reports(self, guild_id: int | None = None) -> list[Report]:
        return await self.store.list_accepted_reports(guild_id)

    async def wrong_match_negatives(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """Accepted "Wrong match?" reports as labelled negatives for the matcher's decision model.

        One JSON-ready row per report that named a claim the text is not about (the claim the bot
        matched, when the report was accepted as another claim or as no claim): the matchset line
        format of ``tests/data/matchset.jsonl`` (``text``, ``kind``, ``expect``, ``framing``) with
        ``other`` the wrongly matched claim, and that claim's texts under ``claim`` so the rows can
        be scored against a store that lacks it. ``benchmarks/fit_decision.py --negatives`` reads it.
        """
        rows = []
        for report in await self.store.list_accepted_reports(guild_id):
            if report.claim_id is None or report.claim_id == report.accepted_as:
                continue
            try:
                claim = (await self.store.get(report.claim_id)).claim
            except ClaimNotFound:
                continue
            rows.append(
                {
                    "text": report.message_text,
                    "kind": "wrong_match",
                    "expect": report.accepted_as,
                    "framing": "unknown",
                    "other": report.claim_id,
                    "report": report.id,
                    "guild_id": report.guild_id,
                    "claim": {
                        "id": claim.id,
                        "statement": claim.statement,
                        "paraphrases": list(claim.paraphrases),
                        "actors": [a.actor for a in claim.attributions],
                    },
                }
            )
        return rows

    # -- the curators' loop: unanswered questions, usage counts, posted cards -------------------

    async def record_unanswered(
        self,
        guild_id: int,
        text: str,
        outcome: CheckOutcome,
        *,
        via: AskedVia,
        settings: GuildSettings | None = None,
        now: dt.datetime | None = None,
    ) -> Unanswered | None:
        """Keep a checked text the store could not answer (verdict none or possible) for curators.

        Nothing is kept when the guild turned it off, when the verdict was a match, or when nothing
        is left of the text once normalised; the guild's texts older than its retention go at once.
        The author is never recorded.
        """
        if outcome.result.verdict == Verdict.MATCH:
            return None
        settings = settings or await self.store.get_guild_settings(guild_id)
        if not settings.record_unanswered:
            return None
        kept = questions.normalise_question(text)
        if not kept:
            return None
        when = now or _utcnow()
        best = outcome.result.best
        entry = Unanswered(
            id=0,
            guild_id=guild_id,
            text=kept,
            verdict=outcome.result.verdict,
            via=via,
            created_at=when,
            candidate_id=best.claim_id if best and outcome.result.verdict == Verdict.POSSIBLE else None,
        )
        keep_after = when - dt.timedelta(days=settings.unanswered_days)
        await self.store.add_unanswered(entry, keep_after=keep_after)
        return entry

    async def unanswered(
        self, guild_id: int | None = None, *, now: dt.datetime | None = None
    ) -> list[questions.UnansweredGroup]:
        """The unanswered texts of a guild (or of every guild), grouped by similarity, newest first.

        Texts past their guild's retention are dropped first, so an operator never sees them.
        """
        when = now or _utcnow()
        guilds = [guild_id] if guild_id is not None else await self.store.unanswered_guilds()
        for g in guilds:
            days = (await self.store.get_guild_settings(g)).unanswered_days
            await self.store.purge_unanswered(g, before=when - dt.timedelta(days=days))
        entries = await self.store.list_unanswered(guild_id)
        return await asyncio.to_thread(questions.group, entries)

    async def unanswered_group(self, guild_id: int, entry_id: int) -> questions.UnansweredGroup:
        """The group of ``guild_id`` that holds text ``entry_id`` (it may have grown since it was listed)."""
        for found in await self.unanswered(guild_id):
            if entry_id in found.ids:
                return found
        raise InvalidInput("That question is no longer in the list; run /curate unanswered again.")

    async def drop_unanswered(self, group: questions.UnansweredGroup) -> int:
        """Remove a group's texts (a claim was made of them, or a curator dismissed them)."""
        return await self.store.delete_unanswered(group.ids)

    async def count_use(self, guild_id: int, claim_id: str, via: AskedVia) -> int:
        """Count one time a claim came up in a guild; how often it has been asked there in all
        (``/check``, the context menu and watch mode; reports are counted but not in this total)."""
        return await self.store.count_use(guild_id, claim_id, via, at=_utcnow())

    async def usage(self, guild_id: int, claim_id: str | None = None) -> dict[str, dict[AskedVia, int]]:
        """Per claim of a guild, the count of each way it came up; most asked first."""
        counts: dict[str, dict[AskedVia, int]] = {}
        for row in await self.store.list_usage(guild_id, claim_id):
            counts.setdefault(row.claim_id, {})[row.via] = row.count
        asked = (AskedVia.SLASH, AskedVia.MENU, AskedVia.WATCH)
        return dict(sorted(counts.items(), key=lambda kv: (-sum(kv[1].get(v, 0) for v in asked), kv[0])))

    async def record_card(
        self,
        *,
        guild_id: int,
        channel_id: int,
        message_id: int,
        claim: Claim,
        kind: CardKind,
        checked: str | None = None,
    ) -> PostedCard:
        """Remember a public card (or watch-mode reply) and the state of the claim it shows."""
        card = PostedCard(
            id=0,
            guild_id=guild_id,
            channel_id=channel_id,
            message_id=message_id,
            claim_id=claim.id,
            kind=kind,
            shown=followups.shown_state(claim),
            posted_at=_utcnow(),
            checked=checked,
        )
        return await self.store.add_card(card)

    async def cards(self, claim_ids: Iterable[str] | None = None) -> list[PostedCard]:
        return await self.store.list_cards(claim_ids)

    async def mark_card(self, card: PostedCard, claim: Claim, *, note_id: int | None = None) -> None:
        """The card has been brought up to ``claim`` (or needs not be)."""
        await self.store.mark_card(card.id, followups.shown_state(claim), at=_utcnow(), note_id=note_id)

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


def _explain(stale: Mapping[tuple[str, str], int], missing: int, total: int, model: ModelInfo) -> None:
    """Say once, at start-up, why claims are being encoded and which command stores them."""
    if stale:
        others = ", ".join(f"{name} (sha256 {checksum[:12]})" for name, checksum in sorted(stale))
        log.warning(
            "the stored vectors were made with %s, this process uses %s (sha256 %s): encoding %d "
            "claims now; run `claimbot reindex` to store vectors for the new model",
            others, model.name, model.checksum[:12], missing,
        )  # fmt: skip
    elif missing:
        log.warning(
            "%d of %d claims have no stored vectors: encoding them now; run `claimbot reindex` to store them",
            missing, total,
        )  # fmt: skip


def _counting(progress: Progress | None, claims: Sequence[Claim]) -> Callable[[int], None] | None:
    """An encoder's per-batch callback as a (done, total) progress over the claims' texts."""
    if progress is None:
        return None
    total = sum(len(claim_texts(c)) for c in claims)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        progress(done, total)

    return step


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


def _check_text(value: str, field: str) -> None:
    try:
        transfer.check_text(value)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}") from None


def _as_dict(part: Attribution | Denial | Source) -> dict[str, Any]:
    data: dict[str, Any] = transfer.plain(part)
    return data


def _check_setting(key: str, value: Any) -> None:
    bound = SETTING_BOUNDS.get(key)
    if key == "match_threshold" and value is None:
        return  # back to the default
    if isinstance(GuildSettings.__dataclass_fields__[key].default, bool):
        if not isinstance(value, bool):
            raise InvalidInput(f"{key} must be true or false.")
        return
    if bound is None:
        return
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{key} must be a number.") from None
    if not bound.low <= number <= bound.high:
        unit = f" {bound.unit}" if bound.unit else ""
        raise InvalidInput(f"{key} must be between {bound.low:g} and {bound.high:g}{unit}.")


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


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
