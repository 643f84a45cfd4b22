"""Lookups anyone may run: ``/check``, the "Check this message" context menu, ``/claim show|search``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import formatting
from bot.background import Background
from bot.checker import Checker
from bot.checks import is_claims_admin
from bot.errors import UserFacingError
from bot.interactions import Sent, respond, within_deadline
from bot.options import ClaimId, claim_choices
from bot.ratelimit import SlidingWindow
from bot.settings_cache import GuildSettingsCache
from bot.views.claim_buttons import CardButton, SourcesButton, WrongMatchButton, claim_view
from bot.views.curation import usage_text
from bot.views.factcheck_buttons import ImportFactCheckButton
from claims_db import wording
from claims_db.errors import ClaimsError
from claims_db.models import AskedVia, CardKind, GuildSettings, Verdict
from claims_db.service import CheckOutcome, ClaimService

if TYPE_CHECKING:
    from bot.factcheck import Elsewhere, FactChecks

__all__ = ["Lookup", "send_outcome"]

log = logging.getLogger(__name__)

T = TypeVar("T")


async def send_outcome(
    interaction: discord.Interaction,
    outcome: CheckOutcome,
    *,
    checked: str,
    ephemeral: bool,
    elsewhere: Elsewhere | None = None,
    asked: int = 0,
) -> Sent:
    """Answer a check: the card on ``match`` (with "Asked here N times" once ``asked`` > 1),
    "Did you mean…" on ``possible``, plainly nothing on ``none`` (with published fact-checks
    elsewhere, labelled external, when they were searched)."""
    reply = outcome.reply
    result = outcome.result
    linked = formatting.linked_text(outcome.via) if outcome.via else None
    if outcome.across is not None:
        linked = "\n".join(t for t in (linked, formatting.across_text(outcome.across)) if t)
    if result.verdict == Verdict.MATCH and reply.cards:
        card = reply.cards[0]
        embeds = formatting.card_embeds(card, checked=checked)
        view = claim_view(card.claim_id)
        content = "\n".join(t for t in (linked, formatting.asked_here(asked)) if t) or None
        return await respond(interaction, content, embeds=embeds, view=view, ephemeral=ephemeral)
    if result.verdict == Verdict.POSSIBLE and reply.cards:
        view = discord.ui.View(timeout=None)
        for i, card in enumerate(reply.cards[:3], 1):
            view.add_item(CardButton(card.claim_id, label=f"Show {i}"))
        view.add_item(WrongMatchButton(None, label="None of these?"))
        embed = formatting.candidates_embed(reply, checked=checked)
        return await respond(interaction, linked, embeds=[embed], view=view, ephemeral=ephemeral)
    view = discord.ui.View(timeout=None)
    view.add_item(WrongMatchButton(None, label="Report a missed claim"))
    embed = discord.Embed(description=formatting.none_text(reply), colour=formatting.NEUTRAL_COLOUR)
    embed.set_author(name=formatting.clip(formatting.CHECKED_PREFIX + formatting.plain(checked), 256))
    embeds, content = [embed], None
    if elsewhere is not None and elsewhere.reviews:
        embeds.append(formatting.external_embed(elsewhere, checked=checked))
        for i, review in enumerate(elsewhere.reviews[:3], 1):
            view.add_item(ImportFactCheckButton(review.key, label=f"Import {i} (curators)"))
    elif elsewhere is not None and elsewhere.problem:
        content = formatting.error_text(f"Published fact-checks could not be searched: {elsewhere.problem}")
    return await respond(interaction, content, embeds=embeds, view=view, ephemeral=ephemeral)


class Lookup(commands.Cog):
    """What anyone can ask the bot.

    Parameters
    ----------
    service
        The loaded ``ClaimService``.
    checker
        Matches off the event loop, within a time budget.
    guild_settings
        The guilds' settings (rate of ``/check``, threshold).
    limiter
        ``/check`` uses per member and guild.
    fact_checks
        Published fact-checks elsewhere, searched when nothing curated matches (if configured).
    """

    claim = app_commands.Group(name="claim", description="Look up curated claims.", guild_only=True)

    def __init__(
        self,
        service: ClaimService,
        *,
        checker: Checker,
        guild_settings: GuildSettingsCache,
        limiter: SlidingWindow,
        fact_checks: FactChecks | None = None,
    ) -> None:
        self.service = service
        self.fact_checks = fact_checks
        self.checker = checker
        self.guild_settings = guild_settings
        self.limiter = limiter
        self.background = Background()
        # A context menu cannot be declared in a cog; the bot adds this one to its tree.
        self.menu = app_commands.ContextMenu(name="Check this message", callback=self.check_message)
        self.menu.guild_only = True

    async def cog_unload(self) -> None:
        await self.background.drain()

    async def _rate_limit(self, interaction: discord.Interaction) -> GuildSettings:
        settings = await self.guild_settings.get(interaction.guild_id)
        wait = self.limiter.hit(
            (interaction.guild_id, interaction.user.id), limit=settings.check_rate_per_minute, window=60.0
        )
        if wait:
            raise UserFacingError(
                f"You are checking faster than {settings.check_rate_per_minute} times a minute; "
                f"try again in {max(1, round(wait))} s."
            )
        return settings

    async def _check(
        self, interaction: discord.Interaction, text: str, *, ephemeral: bool, via: AskedVia
    ) -> None:
        settings = await self._rate_limit(interaction)
        guild_id = interaction.guild_id

        fact_checks = self.fact_checks

        async def work() -> tuple[CheckOutcome, int, Elsewhere | None]:
            outcome = await self.checker.check(text, settings=settings)
            best = outcome.result.best
            asked = 0
            # Bookkeeping inside the deadline: a store busy with another writer defers the answer
            # ("thinking…") instead of making it miss Discord's 3 s.
            if guild_id is not None and outcome.result.verdict == Verdict.MATCH and best is not None:
                asked = await self._quietly(self.service.count_use(guild_id, best.claim_id, via), 0)
            elif guild_id is not None:
                await self._quietly(
                    self.service.record_unanswered(guild_id, text, outcome, via=via, settings=settings), None
                )
            elsewhere = None
            if fact_checks is not None and outcome.result.verdict is Verdict.NONE:
                elsewhere = await fact_checks.elsewhere(text)  # nothing local: published checks elsewhere
            return outcome, asked, elsewhere

        outcome, asked, elsewhere = await within_deadline(
            interaction, work(), ephemeral=ephemeral, defer_now=self.checker.reads_links(text)
        )
        best = outcome.result.best
        matched = outcome.result.verdict == Verdict.MATCH and best is not None
        log.info(
            "check by %s in guild %s: %s %s",
            interaction.user.id,
            guild_id,
            outcome.result.verdict,
            best.claim_id if best else "-",
        )
        sent = await send_outcome(
            interaction, outcome, checked=text, ephemeral=ephemeral, elsewhere=elsewhere, asked=asked
        )
        if (
            guild_id is not None
            and matched
            and best is not None
            and not sent.ephemeral
            and sent.message_id
            and sent.channel_id
        ):
            # a public card: a later change to the claim edits it (bot.followups)
            record = self.service.record_card(
                guild_id=guild_id,
                channel_id=sent.channel_id,
                message_id=sent.message_id,
                claim=outcome.claims[best.claim_id],
                kind=CardKind.CARD,
                checked=text,
            )
            self.background.spawn(self._quietly(record, None), name=f"record card {sent.message_id}")

    async def _quietly(self, work: Awaitable[T], default: T) -> T:
        """Bookkeeping beside an answer (counts, the unanswered list) must not cost the answer."""
        try:
            return await work
        except ClaimsError as exc:  # the store busy or gone: the member still gets the reply
            log.warning("check: bookkeeping failed: %s", exc)
            return default

    @app_commands.command(name="check")
    @app_commands.guild_only()
    async def check(
        self,
        interaction: discord.Interaction,
        statement: app_commands.Range[str, 3, 300],
        private: bool = True,
    ) -> None:
        """Find curated claims that resemble a statement: who asserts it, who denies it.

        Parameters
        ----------
        statement
            The sentence you want looked up.
        private
            Only you see the answer (default). Turn off to post it in the channel.
        """
        await self._check(interaction, statement, ephemeral=private, via=AskedVia.SLASH)

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        text = message.content.strip()
        if not text:
            raise UserFacingError("That message has no text to check.")
        await self._check(interaction, text[:2000], ephemeral=True, via=AskedVia.MENU)

    @claim.command(name="show")
    async def show(self, interaction: discord.Interaction, id: ClaimId) -> None:
        """Show one curated claim: who asserts it, who denies it, sources and status.

        Parameters
        ----------
        id
            The claim's id (start typing to search).
        """
        stored = await self.service.get(id)
        embeds = formatting.card_embeds(wording.card(stored.claim))
        lines = []
        if stored.retracted:
            lines.append(formatting.retracted_text(stored.claim.id, stored.retracted_reason))
        if interaction.guild_id is not None and await is_claims_admin(interaction, self.service):
            usage = await self.service.usage(interaction.guild_id, stored.claim.id)
            counts = usage.get(stored.claim.id, {})
            lines.append(f"In this server (curators see this): {usage_text(counts)}")
        content = "\n".join(lines) or None
        view = discord.ui.View(timeout=None)
        view.add_item(SourcesButton(stored.claim.id))
        await respond(interaction, content, embeds=embeds, view=view, ephemeral=True)

    @claim.command(name="search")
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 2, 200]) -> None:
        """Search curated claims by id or words of their statement.

        Parameters
        ----------
        query
            Words to look for.
        """
        claims = await self.service.search(query, limit=15)
        embed = formatting.search_embed(query, claims)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @search.autocomplete("query")
    async def search_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await claim_choices(self.service, current, by_id=False)
