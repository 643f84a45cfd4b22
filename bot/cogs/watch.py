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
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot import formatting
from bot.checker import CheckTooSlow
from bot.ratelimit import Cooldowns, SlidingWindow
from bot.views.claim_buttons import CardButton, WrongMatchButton
from claims_db.models import Verdict

if TYPE_CHECKING:
    from bot.app import ClaimBot

__all__ = ["Watch"]

log = logging.getLogger(__name__)

WATCH_CHECKS = 10  # messages matched per channel per window; the rest of a flood is skipped
WATCH_WINDOW_S = 10.0


class Watch(commands.Cog):
    def __init__(
        self, bot: ClaimBot, *, cooldowns: Cooldowns | None = None, work: SlidingWindow | None = None
    ) -> None:
        self.bot = bot
        self.service = bot.service
        self.cooldowns = cooldowns or Cooldowns()
        self.work = work or SlidingWindow()

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
        settings = await self.bot.guild_settings(message.guild.id)
        channel_id = message.channel.id
        if channel_id not in settings.watch_channels:
            return
        is_self = self.bot.user is not None and message.author.id == self.bot.user.id
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
            outcome = await self.bot.checker.check(message.content, settings=settings, screen=True)
        except CheckTooSlow:
            log.debug("watch: skip %s: took longer than the time budget", message.id)
            return
        best = outcome.result.best
        if outcome.result.verdict != Verdict.MATCH or best is None:
            log.debug("watch: skip %s: verdict %s", message.id, outcome.result.verdict)
            return
        # Check and trigger together, with no await between: concurrent messages cannot both pass.
        claim_key = ("claim", channel_id, best.claim_id)
        if not self.cooldowns.ready(("channel", channel_id)) or not self.cooldowns.ready(claim_key):
            log.debug("watch: skip %s: %s answered recently in %s", message.id, best.claim_id, channel_id)
            return
        self.cooldowns.trigger(("channel", channel_id), settings.channel_cooldown_s)
        self.cooldowns.trigger(claim_key, settings.claim_cooldown_s)
        claim = outcome.claims[best.claim_id]
        view = discord.ui.View(timeout=None)
        view.add_item(CardButton(claim.id))
        view.add_item(WrongMatchButton(claim.id))
        await message.reply(formatting.watch_text(claim), view=view, mention_author=False)
        log.info(
            "watch: answered %s in channel %s with %s (%.2f)", message.id, channel_id, claim.id, best.score
        )
