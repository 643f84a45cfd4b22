"""Import a published fact-check into the store with one click, as an ``unverified`` draft.

The button survives restarts like the others: its custom id holds the review's key (its URL
hashed), and the click searches again with the checked text quoted in the reply's author line, so
nothing is kept in memory. Only curators may import (the same check as ``/curate``).
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.ui import Button, DynamicItem

from bot import formatting
from bot.checks import actor_of, require_claims_admin
from bot.errors import UserFacingError
from bot.interactions import collaborators, guarded
from claims_db import factcheck

__all__ = ["ImportFactCheckButton"]


class ImportFactCheckButton(DynamicItem[Button[Any]], template=r"claims:fcimport:(?P<key>[0-9a-f]{16})"):
    """Adds the external review as an unverified claim attributed to its claimant."""

    def __init__(self, key: str, *, label: str = "Import") -> None:
        super().__init__(
            Button(label=label, style=discord.ButtonStyle.secondary, custom_id=f"claims:fcimport:{key}")
        )
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ImportFactCheckButton:
        return cls(match["key"], label=getattr(item, "label", None) or "Import")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = collaborators(interaction)
        await require_claims_admin(interaction, bot.service)
        if bot.fact_checks is None:
            raise UserFacingError(
                "Published fact-checks are not searched here (no CLAIMBOT_FACTCHECK_API_KEY)."
            )
        checked = formatting.checked_text(interaction.message.embeds) if interaction.message else None
        if not checked:
            raise UserFacingError("That reply no longer says what was checked; run /check again.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        reviews = await bot.fact_checks.search(checked)
        review = next((r for r in reviews if r.key == self.key), None)
        if review is None:
            raise UserFacingError("That fact-check is no longer among the search results; run /check again.")
        for stored in await bot.service.list_claims(include_retracted=True):
            if any(s.url == review.url for s in stored.claim.sources):
                raise UserFacingError(f"That fact-check is already in the store as `{stored.claim.id}`.")
        claim = await bot.service.add(factcheck.draft(review), actor=actor_of(interaction))
        await interaction.followup.send(formatting.imported_text(claim), ephemeral=True)
