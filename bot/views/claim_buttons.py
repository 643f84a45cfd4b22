"""The buttons under a reply. They survive restarts: each is a DynamicItem whose custom id holds
everything it needs (``claims:sources:<claim id>``), and the checked text is read back from the reply.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord
from discord.ui import Button, DynamicItem

from bot import formatting
from bot.interactions import collaborators, guarded, respond
from bot.views.report_form import ReportModal, checked_from
from claims_db import wording

__all__ = ["CardButton", "SourcesButton", "WrongMatchButton", "claim_view"]

log = logging.getLogger(__name__)

CLAIM_ID = r"[a-z0-9-]{3,80}"
NO_CLAIM = "-"  # in a custom id: the reply named no claim (possible / none)


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
        stored = await collaborators(interaction).service.get(self.claim_id)
        await respond(interaction, embeds=formatting.sources_embeds(stored.claim))


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
        if interaction.guild_id is not None:
            limits = collaborators(interaction).report_limits
            refused = limits.refusal(interaction.guild_id, interaction.user.id)
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
        stored = await collaborators(interaction).service.get(self.claim_id)
        checked = await checked_from(interaction.message)
        embeds = formatting.card_embeds(wording.card(stored.claim), checked=checked)
        await respond(interaction, embeds=embeds, view=claim_view(self.claim_id))
