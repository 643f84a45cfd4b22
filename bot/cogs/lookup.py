"""Lookups anyone may run: ``/check``, the "Check this message" context menu, ``/claim show|search``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import formatting
from bot.errors import UserFacingError
from bot.views.claim_buttons import CardButton, SourcesButton, WrongMatchButton, claim_view
from bot.views.factcheck_buttons import ImportFactCheckButton
from claims_db import wording
from claims_db.models import GuildSettings, Verdict

if TYPE_CHECKING:
    from bot.app import ClaimBot
    from bot.factcheck import Elsewhere
    from claims_db.service import CheckOutcome, ClaimService

__all__ = ["Lookup", "claim_choices", "send_outcome", "within_deadline"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Discord drops an interaction not acknowledged within 3 s; work still running after this long is
# deferred first ("claimbot is thinking…") and answered with a follow-up.
DEFER_AFTER_S = 1.5


async def within_deadline(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool, defer_now: bool = False
) -> T:
    """Await ``work``, deferring the interaction if it is not done in time to answer directly
    (at once with ``defer_now``, for work known to wait on the network)."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=0 if defer_now else DEFER_AFTER_S)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def _send(
    interaction: discord.Interaction,
    *,
    content: str | None = None,
    embeds: list[discord.Embed],
    view: discord.ui.View,
    ephemeral: bool,
) -> None:
    batches = formatting.batches(embeds) or [[]]
    if interaction.response.is_done():
        await interaction.followup.send(content or "", embeds=batches[0], view=view, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(
            content=content, embeds=batches[0], view=view, ephemeral=ephemeral
        )
    for more in batches[1:]:
        await interaction.followup.send(embeds=more, ephemeral=ephemeral)


async def send_outcome(
    interaction: discord.Interaction,
    outcome: CheckOutcome,
    *,
    checked: str,
    ephemeral: bool,
    elsewhere: Elsewhere | None = None,
) -> None:
    """Answer a check: the card on ``match``, "Did you mean…" on ``possible``, plainly nothing on
    ``none`` (with published fact-checks elsewhere, labelled external, when they were searched)."""
    reply = outcome.reply
    result = outcome.result
    linked = formatting.linked_text(outcome.via) if outcome.via else None
    if result.verdict == Verdict.MATCH and reply.cards:
        card = reply.cards[0]
        embeds = formatting.card_embeds(card, checked=checked)
        view = claim_view(card.claim_id)
        await _send(interaction, content=linked, embeds=embeds, view=view, ephemeral=ephemeral)
    elif result.verdict == Verdict.POSSIBLE and reply.cards:
        view = discord.ui.View(timeout=None)
        for i, card in enumerate(reply.cards[:3], 1):
            view.add_item(CardButton(card.claim_id, label=f"Show {i}"))
        view.add_item(WrongMatchButton(None, label="None of these?"))
        embed = formatting.candidates_embed(reply, checked=checked)
        await _send(interaction, content=linked, embeds=[embed], view=view, ephemeral=ephemeral)
    else:
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
            content = formatting.error_text(
                f"Published fact-checks could not be searched: {elsewhere.problem}"
            )
        await _send(interaction, content=content, embeds=embeds, view=view, ephemeral=ephemeral)


class Lookup(commands.Cog):
    """What anyone can ask the bot."""

    claim = app_commands.Group(name="claim", description="Look up curated claims.", guild_only=True)

    def __init__(self, bot: ClaimBot) -> None:
        self.bot = bot
        self.service = bot.service
        self.menu = app_commands.ContextMenu(name="Check this message", callback=self.check_message)
        self.menu.guild_only = True

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def _rate_limit(self, interaction: discord.Interaction) -> GuildSettings:
        settings = await self.bot.guild_settings(interaction.guild_id)
        wait = self.bot.check_limiter.hit(
            (interaction.guild_id, interaction.user.id), limit=settings.check_rate_per_minute, window=60.0
        )
        if wait:
            raise UserFacingError(
                f"You are checking faster than {settings.check_rate_per_minute} times a minute; "
                f"try again in {max(1, round(wait))} s."
            )
        return settings

    async def _check(self, interaction: discord.Interaction, text: str, *, ephemeral: bool) -> None:
        settings = await self._rate_limit(interaction)
        checker, fact_checks = self.bot.checker, self.bot.fact_checks

        async def work() -> tuple[CheckOutcome, Elsewhere | None]:
            outcome = await checker.check(text, settings=settings)
            if fact_checks is None or outcome.result.verdict is not Verdict.NONE:
                return outcome, None
            return outcome, await fact_checks.elsewhere(text)  # nothing local: published checks elsewhere

        outcome, elsewhere = await within_deadline(
            interaction, work(), ephemeral=ephemeral, defer_now=checker.reads_links(text)
        )
        log.info(
            "check by %s in guild %s: %s %s",
            interaction.user.id,
            interaction.guild_id,
            outcome.result.verdict,
            outcome.result.best.claim_id if outcome.result.best else "-",
        )
        await send_outcome(interaction, outcome, checked=text, ephemeral=ephemeral, elsewhere=elsewhere)

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
        await self._check(interaction, statement, ephemeral=private)

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        text = message.content.strip()
        if not text:
            raise UserFacingError("That message has no text to check.")
        await self._check(interaction, text[:2000], ephemeral=True)

    @claim.command(name="show")
    async def show(self, interaction: discord.Interaction, id: str) -> None:
        """Show one curated claim: who asserts it, who denies it, sources and status.

        Parameters
        ----------
        id
            The claim's id (start typing to search).
        """
        stored = await self.service.get(id)
        embeds = formatting.card_embeds(wording.card(stored.claim))
        content = None
        if stored.retracted:
            content = formatting.retracted_text(stored.claim.id, stored.retracted_reason)
        view = discord.ui.View(timeout=None)
        view.add_item(SourcesButton(stored.claim.id))
        await _send(interaction, content=content, embeds=embeds, view=view, ephemeral=True)

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

    @show.autocomplete("id")
    @search.autocomplete("query")
    async def claim_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        by_id = interaction.command is not None and interaction.command.name == "show"
        return await claim_choices(self.service, current, by_id=by_id)


async def claim_choices(
    service: ClaimService, current: str, *, by_id: bool
) -> list[app_commands.Choice[str]]:
    """Autocomplete of claims: "id — statement" shown, the id (or the statement) filled in."""
    try:
        claims = await service.search(current, limit=25)
    except Exception:
        # discord.py would only log it; an empty list keeps the user's client responsive.
        log.exception("autocomplete failed (%d characters typed)", len(current))
        return []
    return [
        app_commands.Choice(
            name=formatting.choice_name(f"{c.id} — {c.statement}"),
            value=c.id if by_id else formatting.choice_name(c.statement),
        )
        for c in claims
    ]
