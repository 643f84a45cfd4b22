"""Follow-ups: when a claim's status, attributions or denials change, the earlier answers say so.

The bot records every public card it posts (``/check`` with ``private`` off) and every watch-mode
reply, with the state of the claim it showed (``claims_db.followups.shown_state``). ``FollowUps``
follows the store's change feed (the audit log, in commit order, so changes made by another process
such as ``claimbot import --update`` arrive too) and, for each recorded message whose claim no longer
looks as shown:

* a card is edited to show the claim as it is now, under "Updated <date>: status changed from
  alleged to confirmed" (ephemeral answers are never recorded: Discord does not let a bot edit them
  later);
* a watch-mode reply gets one short note replying to it, in its thread or reply chain.

The new state is recorded only after Discord took the edit or the note, so a restart neither repeats
a follow-up nor loses one: at start every recorded message is compared with its claim once. Each
guild may turn follow-ups off (then messages are marked as seen, so turning them on later does not
flood a channel) and gets at most ``followup_rate_per_hour`` of them; the rest wait for the next
round. Only one process of a sharded bot runs this (shard 0).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterable

import discord

from bot import formatting
from bot.ratelimit import SlidingWindow
from bot.settings_cache import GuildSettingsCache
from bot.views.claim_buttons import CardButton
from claims_db import followups, wording
from claims_db.models import CardKind, Claim, PostedCard
from claims_db.service import ClaimService
from claims_db.store.base import FeedPosition

__all__ = ["FollowUps"]

log = logging.getLogger(__name__)

HOUR_S = 3600.0


class FollowUps:
    """Edit earlier cards and note changes in watch-mode threads when claims change.

    Parameters
    ----------
    service
        The loaded ``ClaimService`` (its store holds the posted cards and the change feed).
    client
        The connected Discord client, for editing and sending messages over REST.
    guild_settings
        Per guild: follow-ups on or off, and how many an hour.
    interval_s
        How often the change feed is read.
    limiter, today
        The per-guild rate limit and the date in "Updated <date>", injectable for tests.
    """

    def __init__(
        self,
        service: ClaimService,
        *,
        client: discord.Client,
        guild_settings: GuildSettingsCache,
        interval_s: float = 30.0,
        limiter: SlidingWindow | None = None,
        today: Callable[[], dt.date] = lambda: dt.datetime.now(dt.UTC).date(),
    ) -> None:
        self.service = service
        self.client = client
        self.guild_settings = guild_settings
        self.interval_s = interval_s
        self.limiter = limiter or SlidingWindow()
        self.today = today
        self._position: FeedPosition | None = None
        self._waiting: set[str] = set()  # claims with follow-ups held back by a rate limit or a failure
        self.done = 0  # edits and notes made, for tests and the log
        self.rounds = 0
        self._stop = asyncio.Event()

    async def run(self) -> None:
        """Catch up once, then follow the change feed every ``interval_s`` until ``stop``.

        A round is never cancelled halfway (that could leave a store connection behind): ``stop``
        lets the current round finish."""
        while not self._stop.is_set():
            try:
                await self.round()
            except Exception:
                log.warning("follow-ups: a round failed; trying again later", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.interval_s)

    def stop(self) -> None:
        self._stop.set()

    async def round(self) -> int:
        """One pass: the claims changed since the last pass (every recorded claim the first time)."""
        store = self.service.store
        if self._position is None:
            current, self._position = await store.snapshot()
            claims = {s.claim.id: s.claim for s in current}
            cards = await self.service.cards()
        else:
            self._position, changed = await store.changes(self._position)
            claims = {s.claim.id: s.claim for s in changed if not s.retracted}
            ids = set(claims) | self._waiting
            for claim_id in self._waiting - set(claims):
                stored = await self.service.get(claim_id)
                if not stored.retracted:
                    claims[claim_id] = stored.claim
            cards = await self.service.cards(ids) if ids else []
        self._waiting = set()
        done = await self._follow(cards, claims)
        self.rounds += 1
        return done

    async def _follow(self, cards: Iterable[PostedCard], claims: dict[str, Claim]) -> int:
        done = 0
        for card in cards:
            claim = claims.get(card.claim_id)
            if claim is None:
                continue  # retracted, or not changed
            said = followups.changes(card.shown, followups.shown_state(claim))
            if not said:
                continue
            settings = await self.guild_settings.get(card.guild_id)
            if not settings.followups:
                await self.service.mark_card(card, claim)  # opted out: seen, never followed up
                continue
            limit = settings.followup_rate_per_hour
            if self.limiter.hit(("followups", card.guild_id), limit=limit, window=HOUR_S):
                log.info("follow-ups: guild %s is at %d an hour; %s waits", card.guild_id, limit, card.id)
                self._waiting.add(card.claim_id)
                continue
            try:
                note_id = await self._send(card, claim, said)
            except (discord.NotFound, discord.Forbidden) as exc:  # deleted, or the bot lost the channel
                log.info(
                    "follow-ups: cannot reach message %s (%s); not following it any more",
                    card.message_id,
                    exc,
                )
                await self.service.mark_card(card, claim)
                continue
            except discord.HTTPException as exc:
                log.warning("follow-ups: Discord refused %s (%s); trying again later", card.message_id, exc)
                self._waiting.add(card.claim_id)
                continue
            await self.service.mark_card(card, claim, note_id=note_id)
            done += 1
            log.info("follow-ups: %s %s about %s: %s", card.kind, card.message_id, claim.id, "; ".join(said))
        self.done += done
        return done

    async def _send(self, card: PostedCard, claim: Claim, said: tuple[str, ...]) -> int | None:
        channel = self.client.get_partial_messageable(card.channel_id, guild_id=card.guild_id)
        line = formatting.update_line(self.today(), said)
        if card.kind == CardKind.WATCH:
            view = discord.ui.View(timeout=None)
            view.add_item(CardButton(claim.id))
            note = await channel.send(
                f"{line}\n{formatting.watch_text(claim)}",
                reference=discord.MessageReference(
                    message_id=card.message_id, channel_id=card.channel_id, fail_if_not_exists=False
                ),
                view=view,
                mention_author=False,
                allowed_mentions=discord.AllowedMentions.none(),
            )
            return note.id
        embeds = formatting.batches(formatting.card_embeds(wording.card(claim), checked=card.checked))[0]
        await channel.get_partial_message(card.message_id).edit(content=line, embeds=embeds)
        return None
