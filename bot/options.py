"""Option types of the slash commands: claim ids with autocomplete, and the guild settings' ranges.

``ClaimId`` is a transformer: every option annotated with it autocompletes claims ("id — statement"
shown, the id filled in), so no command has to be added to a list by hand. The ranges of
``/curate settings`` are read from ``claims_db.models.SETTING_BOUNDS``, the same table the service
enforces, so Discord never accepts a value the service then refuses.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import formatting
from bot.interactions import collaborators
from claims_db.models import SETTING_BOUNDS
from claims_db.service import ClaimService

__all__ = [
    "ChannelCooldown",
    "CheckRate",
    "ClaimCooldown",
    "ClaimId",
    "ClaimIdTransformer",
    "FollowupRate",
    "MatchThreshold",
    "UnansweredDays",
    "claim_choices",
]

log = logging.getLogger(__name__)


async def claim_choices(
    service: ClaimService, current: str, *, by_id: bool
) -> list[app_commands.Choice[str]]:
    """Autocomplete of claims: "id — statement" shown, the id (or the statement) filled in."""
    try:
        claims = await service.search(current, limit=25)
    except Exception:
        # discord.py would only log it; an empty list keeps the user's client responsive.
        log.exception("autocomplete failed for %r", current)
        return []
    return [
        app_commands.Choice(
            name=formatting.choice_name(f"{c.id} — {c.statement}"),
            value=c.id if by_id else formatting.choice_name(c.statement),
        )
        for c in claims
    ]


class ClaimIdTransformer(app_commands.Transformer):
    """A claim id typed or picked from the autocomplete list."""

    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value.strip()

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction, value: str
    ) -> list[app_commands.Choice[str]]:
        return await claim_choices(collaborators(interaction).service, str(value), by_id=True)


def _range(kind: type[int] | type[float], key: str) -> object:
    bound = SETTING_BOUNDS[key]
    return app_commands.Range[kind, kind(bound.low), kind(bound.high)]


if TYPE_CHECKING:
    ClaimId = str
    MatchThreshold = float
    ChannelCooldown = float
    ClaimCooldown = float
    CheckRate = int
    UnansweredDays = int
    FollowupRate = int
else:
    ClaimId = app_commands.Transform[str, ClaimIdTransformer]
    MatchThreshold = _range(float, "match_threshold")
    ChannelCooldown = _range(float, "channel_cooldown_s")
    ClaimCooldown = _range(float, "claim_cooldown_s")
    CheckRate = _range(int, "check_rate_per_minute")
    UnansweredDays = _range(int, "unanswered_days")
    FollowupRate = _range(int, "followup_rate_per_hour")
