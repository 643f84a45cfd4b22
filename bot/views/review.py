"""The review queue of "Wrong match?" reports: one select per report, one pick to resolve it.

Each select offers the claims the reported text resembles ("Paraphrase of …": the text is added to
that claim) and "Dismiss". Its custom id holds the report id, so it works after a restart too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord
from discord.ui import DynamicItem, Select

from bot import formatting
from bot.checks import actor_of, require_claims_admin
from bot.errors import UserFacingError
from bot.interactions import collaborators, guarded, respond
from claims_db.errors import ReportNotFound
from claims_db.models import Claim, Report, ReportStatus

__all__ = ["DISMISS", "ReportSelect", "reports_view"]

DISMISS = "dismiss"
ACCEPT = "accept:"
WRONG = "wrong"  # a wrong match that no claim fits: the matcher learns from it all the same


class ReportSelect(DynamicItem[Select[Any]], template=r"claims:report:(?P<report_id>[0-9]{1,18})"):
    def __init__(self, report_id: int, options: Sequence[discord.SelectOption] = ()) -> None:
        super().__init__(
            Select(
                custom_id=f"claims:report:{report_id}",
                placeholder=f"Resolve report #{report_id}…",
                options=list(options) or [discord.SelectOption(label="Dismiss", value=DISMISS)],
            )
        )
        self.report_id = report_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReportSelect:
        return cls(int(match["report_id"]), getattr(item, "options", ()))

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        service = collaborators(interaction).service
        await require_claims_admin(interaction, service)
        assert interaction.guild_id is not None  # require_claims_admin refuses outside a guild
        try:
            found = await service.get_report(self.report_id)
        except ReportNotFound:
            found = None
        if found is None or found.guild_id != interaction.guild_id or found.status != ReportStatus.OPEN:
            raise UserFacingError(f"No open report #{self.report_id} in this server.")
        choice = self.item.values[0] if self.item.values else DISMISS
        accept_as = choice.removeprefix(ACCEPT) if choice.startswith(ACCEPT) else None
        report = await service.resolve_report(
            self.report_id, actor=actor_of(interaction), accept_as=accept_as, wrong=choice == WRONG
        )
        if accept_as:
            text = f"Report #{report.id} accepted: its text is now a paraphrase of `{accept_as}`."
        elif choice == WRONG:
            text = f"Report #{report.id} accepted: a wrong match, and no claim fits the text."
        else:
            text = f"Report #{report.id} dismissed."
        await respond(interaction, text)


def report_options(report: Report, candidates: Sequence[Claim]) -> list[discord.SelectOption]:
    options = [
        discord.SelectOption(
            label=formatting.clip(f"Paraphrase of {claim.id}", 100),
            value=ACCEPT + claim.id,
            description=formatting.choice_name(claim.statement),
        )
        for claim in candidates[:23]
    ]
    if report.claim_id is not None:
        options.append(
            discord.SelectOption(
                label="Wrong match, no claim fits",
                value=WRONG,
                description=formatting.choice_name(f"It is not about {report.claim_id}."),
            )
        )
    options.append(discord.SelectOption(label="Dismiss", value=DISMISS, description="Nothing to change."))
    return options


def reports_view(items: Sequence[tuple[Report, Sequence[Claim]]]) -> discord.ui.View:
    """Up to five reports, one select each (Discord allows five rows)."""
    view = discord.ui.View(timeout=None)
    for report, candidates in items[:5]:
        view.add_item(ReportSelect(report.id, report_options(report, candidates)))
    return view
