"""``/curate unanswered`` and ``/curate stats``: what people ask that the store cannot answer, and how
often each claim comes up.

Each listed group of unanswered questions gets a button that opens the "Add a claim" form with the
group's text as the statement (submit it, and the claim exists: two clicks), and a select that adds
the text as a paraphrase of one of the claims it resembles, or dismisses the group. The custom ids
hold the id of the group's newest text, so they work after a restart; every one of them checks
that the member may curate, since anyone can click a button they can see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord.ui import Button, DynamicItem, Select

from bot import formatting
from bot.checks import actor_of, require_claims_admin
from bot.interactions import collaborators, guarded, respond
from bot.views.claim_form import AddClaimModal
from claims_db.models import AskedVia, Claim
from claims_db.unanswered import UnansweredGroup

__all__ = [
    "GROUPS_PER_PAGE",
    "NewClaimButton",
    "ParaphraseSelect",
    "stats_embed",
    "unanswered_embed",
    "unanswered_view",
    "usage_text",
]

GROUPS_PER_PAGE = 4  # one row of buttons and one select per group: Discord allows five rows
DISMISS = "dismiss"
ACCEPT = "para:"

_VIA_LABELS = {
    AskedVia.SLASH: "/check",
    AskedVia.MENU: "Check this message",
    AskedVia.WATCH: "watch mode",
    AskedVia.REPORT: "wrong-match reports",
}


def usage_text(counts: Mapping[AskedVia, int]) -> str:
    """ "/check 3 · Check this message 1 · watch mode 0 · wrong-match reports 1"."""
    return " · ".join(f"{label} {counts.get(via, 0)}" for via, label in _VIA_LABELS.items())


def asked_total(counts: Mapping[AskedVia, int]) -> int:
    return sum(counts.get(v, 0) for v in (AskedVia.SLASH, AskedVia.MENU, AskedVia.WATCH))


def stats_embed(usage: Mapping[str, Mapping[AskedVia, int]], *, limit: int = 15) -> discord.Embed:
    """The claims asked about most in this server, with how each came up."""
    embed = discord.Embed(title="How often claims come up here", colour=formatting.NEUTRAL_COLOUR)
    if not usage:
        embed.description = "No claim has been matched in this server yet."
        return embed
    lines = [
        f"`{claim_id}` asked {asked_total(counts)} times: {usage_text(counts)}"
        for claim_id, counts in list(usage.items())[:limit]
    ]
    embed.description = formatting.clip("\n".join(lines), formatting.DESCRIPTION_LIMIT)
    if len(usage) > limit:
        embed.set_footer(text=f"The {limit} most asked of {len(usage)} claims.")
    return embed


def unanswered_embed(groups: Sequence[UnansweredGroup], *, days: int, recording: bool) -> discord.Embed:
    """The newest groups of unanswered questions, each with its count."""
    embed = discord.Embed(title="Unanswered questions", colour=formatting.NEUTRAL_COLOUR)
    if not groups:
        embed.description = "Nothing unanswered: every recent check found a claim." + (
            "" if recording else " (Recording is off: /curate settings record_unanswered:True.)"
        )
        return embed
    for i, g in enumerate(groups[:GROUPS_PER_PAGE], 1):
        times = "once" if g.count == 1 else f"{g.count} times"
        when = discord.utils.format_dt(g.last_seen, "R")
        quoted = formatting.escape(formatting.clip(formatting.one_line(g.text), 400))
        embed.add_field(name=f"{i}. Asked {times}", value=f"> {quoted}\nLast {when}", inline=False)
    shown = min(len(groups), GROUPS_PER_PAGE)
    embed.set_footer(
        text=f"{shown} of {len(groups)} groups, newest first; texts are kept {days} days, without authors."
    )
    return embed


def unanswered_view(items: Sequence[tuple[UnansweredGroup, Sequence[Claim]]]) -> discord.ui.View:
    """A "New claim" button for each group, and a select to add it as a paraphrase or dismiss it."""
    view = discord.ui.View(timeout=None)
    for i, (g, _) in enumerate(items[:GROUPS_PER_PAGE], 1):
        view.add_item(NewClaimButton(g.entries[0].id, label=f"New claim from {i}"))
    for i, (g, candidates) in enumerate(items[:GROUPS_PER_PAGE], 1):
        view.add_item(ParaphraseSelect(g.entries[0].id, _options(candidates), placeholder=f"{i}: add as…"))
    return view


def _options(candidates: Sequence[Claim]) -> list[discord.SelectOption]:
    options = [
        discord.SelectOption(
            label=formatting.clip(f"Paraphrase of {c.id}", 100),
            value=formatting.clip(ACCEPT + c.id, 100),
            description=formatting.choice_name(c.statement),
        )
        for c in candidates[:24]
    ]
    options.append(
        discord.SelectOption(label="Dismiss", value=DISMISS, description="Remove it from the list.")
    )
    return options


class ClaimFromQuestionModal(AddClaimModal):
    """The "Add a claim" form with a group's text as the statement; saving it clears the group."""

    def __init__(self, group: UnansweredGroup) -> None:
        super().__init__()
        self.group = group
        statement = self.statement.component
        assert isinstance(statement, discord.ui.TextInput)
        statement.default = group.text

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await require_claims_admin(interaction, collaborators(interaction).service)
        await super().on_submit(interaction)
        await collaborators(interaction).service.drop_unanswered(self.group)


class NewClaimButton(DynamicItem[Button[Any]], template=r"claims:unanswered:new:(?P<entry>[0-9]{1,18})"):
    def __init__(self, entry_id: int, *, label: str = "New claim") -> None:
        super().__init__(
            Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"claims:unanswered:new:{entry_id}",
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> NewClaimButton:
        return cls(int(match["entry"]), label=getattr(item, "label", None) or "New claim")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = collaborators(interaction).service
        await require_claims_admin(interaction, service)
        assert interaction.guild_id is not None
        group = await service.unanswered_group(interaction.guild_id, self.entry_id)
        await interaction.response.send_modal(ClaimFromQuestionModal(group))


class ParaphraseSelect(DynamicItem[Select[Any]], template=r"claims:unanswered:para:(?P<entry>[0-9]{1,18})"):
    def __init__(
        self, entry_id: int, options: Sequence[discord.SelectOption] = (), *, placeholder: str | None = None
    ) -> None:
        super().__init__(
            Select(
                custom_id=f"claims:unanswered:para:{entry_id}",
                placeholder=placeholder or "Add as…",
                options=list(options) or [discord.SelectOption(label="Dismiss", value=DISMISS)],
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ParaphraseSelect:
        return cls(int(match["entry"]), getattr(item, "options", ()))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = collaborators(interaction).service
        await require_claims_admin(interaction, service)
        assert interaction.guild_id is not None
        group = await service.unanswered_group(interaction.guild_id, self.entry_id)
        choice = self.item.values[0] if self.item.values else DISMISS
        times = "once" if group.count == 1 else f"{group.count} times"
        if choice.startswith(ACCEPT):
            claim_id = choice.removeprefix(ACCEPT)
            await service.add_paraphrase(claim_id, group.text, actor=actor_of(interaction))
            text = f"Added as a paraphrase of `{claim_id}` (it was asked {times})."
        else:
            text = f"Dismissed (it was asked {times})."
        await service.drop_unanswered(group)
        await respond(interaction, text)
