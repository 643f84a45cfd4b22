"""The buttons under a reply. They survive restarts: each is a DynamicItem whose custom id holds
everything it needs (``claims:sources:<claim id>``), and the checked text is read back from the reply.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord.ui import Button, DynamicItem

from bot import formatting
from bot.errors import report_error
from claims_db import wording

if TYPE_CHECKING:
    from bot.app import ClaimBot

__all__ = ["CardButton", "SourcesButton", "WrongMatchButton", "checked_from", "claim_view", "guarded"]

log = logging.getLogger(__name__)

CLAIM_ID = r"[a-z0-9-]{3,80}"
NO_CLAIM = "-"  # in a custom id: the reply named no claim (possible / none)

T = TypeVar("T")


def guarded(
    func: Callable[[T, discord.Interaction], Coroutine[Any, Any, None]],
) -> Callable[[T, discord.Interaction], Coroutine[Any, Any, None]]:
    """Answer any error of a component callback instead of leaving discord.py to log it silently."""

    @functools.wraps(func)
    async def wrapper(self: T, interaction: discord.Interaction) -> None:
        try:
            await func(self, interaction)
        except Exception as exc:
            await report_error(interaction, exc)

    return wrapper


def bot_of(interaction: discord.Interaction) -> ClaimBot:
    return interaction.client  # type: ignore[return-value]


async def checked_from(message: discord.Message | None) -> str | None:
    """The text a reply was about: quoted in its embeds, or the message it replies to."""
    if message is None:
        return None
    text = formatting.checked_text(message.embeds)
    if text:
        return text
    ref = message.reference
    if ref is None or ref.message_id is None:
        return None
    if isinstance(ref.resolved, discord.Message) and ref.resolved.content:
        return ref.resolved.content
    if ref.cached_message is not None and ref.cached_message.content:
        return ref.cached_message.content
    try:
        original = await message.channel.fetch_message(ref.message_id)
    except discord.HTTPException:
        return None
    return original.content or None


def claim_view(claim_id: str | None, *, sources: bool = True) -> discord.ui.View:
    """ "Sources" and "Wrong match?" under a card."""
    view = discord.ui.View(timeout=None)
    if claim_id and sources:
        view.add_item(SourcesButton(claim_id))
    view.add_item(WrongMatchButton(claim_id))
    return view


class SourcesButton(DynamicItem[Button[Any]], template=rf"claims:sources:(?P<claim_id>{CLAIM_ID})"):
    """Every denial word for word and every source as a link, in as many private messages as it takes."""

    def __init__(self, claim_id: str) -> None:
        super().__init__(
            Button(
                label="Sources", style=discord.ButtonStyle.secondary, custom_id=f"claims:sources:{claim_id}"
            )
        )
        self.claim_id = claim_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SourcesButton:
        return cls(match["claim_id"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        stored = await bot_of(interaction).service.get(self.claim_id)
        first, *more = formatting.batches(formatting.sources_embeds(stored.claim))
        await interaction.response.send_message(embeds=first, ephemeral=True)
        for embeds in more:
            await interaction.followup.send(embeds=embeds, ephemeral=True)


class WrongMatchButton(DynamicItem[Button[Any]], template=rf"claims:wrong:(?P<claim_id>{CLAIM_ID}|-)"):
    """Opens a modal for an optional comment, then files the reply into the review queue."""

    def __init__(self, claim_id: str | None, *, label: str = "Wrong match?") -> None:
        super().__init__(
            Button(
                label=label,
                style=discord.ButtonStyle.danger,
                custom_id=f"claims:wrong:{claim_id or NO_CLAIM}",
            )
        )
        self.claim_id = claim_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> WrongMatchButton:
        claim_id = None if match["claim_id"] == NO_CLAIM else match["claim_id"]
        return cls(claim_id, label=getattr(item, "label", None) or "Wrong match?")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.views.report_form import ReportModal  # a modal imports the service: keep cycles out

        if interaction.guild_id is not None:
            refused = bot_of(interaction).report_limits.refusal(interaction.guild_id, interaction.user.id)
            if refused:  # say so before the member writes a comment for nothing
                await interaction.response.send_message(refused, ephemeral=True)
                return
        message = interaction.message
        ref = message.reference if message else None
        await interaction.response.send_modal(
            ReportModal(
                claim_id=self.claim_id,
                message=message,
                original_message_id=ref.message_id if ref else None,
            )
        )


class CardButton(DynamicItem[Button[Any]], template=rf"claims:card:(?P<claim_id>{CLAIM_ID})"):
    """The full card of one claim, privately (watch-mode replies and "Did you mean…" candidates)."""

    def __init__(self, claim_id: str, *, label: str = "Full card") -> None:
        super().__init__(
            Button(label=label, style=discord.ButtonStyle.primary, custom_id=f"claims:card:{claim_id}")
        )
        self.claim_id = claim_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CardButton:
        return cls(match["claim_id"], label=getattr(item, "label", None) or "Full card")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = bot_of(interaction).service
        stored = await service.get(self.claim_id)
        checked = await checked_from(interaction.message)
        embeds = formatting.card_embeds(wording.card(stored.claim), checked=checked)
        batches = formatting.batches(embeds)
        await interaction.response.send_message(
            embeds=batches[0], view=claim_view(self.claim_id), ephemeral=True
        )
        for more in batches[1:]:
            await interaction.followup.send(embeds=more, ephemeral=True)
