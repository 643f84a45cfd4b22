"""Watch mode: in channels a moderator opted in, answer confident matches unasked.

The bot stays quiet unless it is sure: only a ``match`` verdict gets a reply, never ``possible``,
never a bot's message (its own included). Cooldowns per channel and per claim in a channel (from the
guild's settings) keep a flood of messages from turning into a flood of replies, and a cap on the
checks per channel keeps it from turning into a flood of matching work, even when nothing matches;
each check runs off the event loop within a time budget (``bot.checker``), and the semantic tier
sees only messages that pass a cheap lexical prefilter (``claims_db.semantic.prefilter``). Each decision is
logged at DEBUG with its reason, so a moderator (or a test) can see why the bot did not answer.
"""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot import formatting
from bot.background import Background
from bot.checker import Checker, CheckTooSlow
from bot.ratelimit import Cooldowns, SharedCooldowns, SlidingWindow
from bot.settings_cache import GuildSettingsCache
from bot.views.claim_buttons import CardButton, WrongMatchButton
from claims_db.errors import ClaimsError
from claims_db.models import AskedVia, CardKind, Claim, Verdict
from claims_db.service import ClaimService

__all__ = ["Watch"]

log = logging.getLogger(__name__)

WATCH_CHECKS = 10  # messages matched per channel per window; the rest of a flood is skipped
WATCH_WINDOW_S = 10.0


class Watch(commands.Cog):
    """Watch mode.

    Parameters
    ----------
    service
        The loaded ``ClaimService``.
    checker
        Matches off the event loop, within a time budget.
    guild_settings
        The guilds' settings (watched channels, cooldowns).
    cooldowns, work
        Per channel and claim cooldowns, and the cap on checks per channel (injectable for tests).
    """

    def __init__(
        self,
        service: ClaimService,
        *,
        checker: Checker,
        guild_settings: GuildSettingsCache,
        cooldowns: Cooldowns | SharedCooldowns | None = None,
        work: SlidingWindow | None = None,
    ) -> None:
        self.service = service
        self.checker = checker
        self.guild_settings = guild_settings
        # shards sharing a PostgreSQL store share the cooldowns too
        self.cooldowns = cooldowns or (SharedCooldowns(service) if service.shares_state else Cooldowns())
        self.work = work or SlidingWindow()
        self.background = Background()

    async def cog_unload(self) -> None:
        await self.background.drain()

    async def _bookkeeping(self, guild_id: int, channel_id: int, reply_id: int, claim: Claim) -> None:
        try:
            await self.service.count_use(guild_id, claim.id, AskedVia.WATCH)
            # a later change to the claim is noted under this reply (bot.followups)
            await self.service.record_card(
                guild_id=guild_id,
                channel_id=channel_id,
                message_id=reply_id,
                claim=claim,
                kind=CardKind.WATCH,
            )
        except ClaimsError as exc:
            log.warning("watch: bookkeeping failed for reply %s: %s", reply_id, exc)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        try:
            await self._consider(message)
        except Exception:
            # A listener's exception is only logged by discord.py; log it with what it was about.
            log.exception("watch: failed on message %s in channel %s", message.id, message.channel.id)

    async def _consider(self, message: discord.Message) -> None:
        if message.guild is None:
            return
        settings = await self.guild_settings.get(message.guild.id)
        channel_id = message.channel.id
        if channel_id not in settings.watch_channels:
            return
        me = message.guild.me  # the bot's own member, cached from GUILD_CREATE
        is_self = me is not None and message.author.id == me.id
        if message.author.bot or is_self or message.webhook_id is not None:
            log.debug("watch: skip %s: written by a bot", message.id)
            return
        if not message.content.strip():
            log.debug("watch: skip %s: no text (is the message-content intent enabled?)", message.id)
            return
        if not self.cooldowns.ready(("channel", channel_id)):
            log.debug("watch: skip %s: channel %s cooling down", message.id, channel_id)
            return
        # Matching costs CPU even when nothing matches: a channel flooded with messages gets at most
        # WATCH_CHECKS checks per WATCH_WINDOW_S, and each within the checker's time budget.
        wait = self.work.hit(("watch", channel_id), limit=WATCH_CHECKS, window=WATCH_WINDOW_S)
        if wait:
            log.debug(
                "watch: skip %s: channel %s busy, %.1f s until the next check", message.id, channel_id, wait
            )
            return
        try:
            outcome = await self.checker.check(message.content, settings=settings, screen=True)
        except CheckTooSlow:
            log.debug("watch: skip %s: took longer than the time budget", message.id)
            return
        best = outcome.result.best
        if outcome.result.verdict != Verdict.MATCH or best is None:
            log.debug("watch: skip %s: verdict %s", message.id, outcome.result.verdict)
            return
        # Check and start together (in one store transaction when shards share the cooldowns):
        # concurrent messages, in this process or another shard's, cannot both pass.
        claim_key = ("claim", channel_id, best.claim_id)
        cooldowns = {
            ("channel", channel_id): settings.channel_cooldown_s,
            claim_key: settings.claim_cooldown_s,
        }
        if not await self.cooldowns.take(cooldowns):
            log.debug("watch: skip %s: %s answered recently in %s", message.id, best.claim_id, channel_id)
            return
        claim = outcome.claims[best.claim_id]
        view = discord.ui.View(timeout=None)
        view.add_item(CardButton(claim.id))
        view.add_item(WrongMatchButton(claim.id))
        reply = await message.reply(
            formatting.watch_text(claim, via=outcome.via), view=view, mention_author=False
        )
        self.background.spawn(
            self._bookkeeping(message.guild.id, channel_id, reply.id, claim), name=f"watch {reply.id}"
        )
        log.info(
            "watch: answered %s in channel %s with %s (%.2f)", message.id, channel_id, claim.id, best.score
        )
