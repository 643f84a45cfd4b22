"""Modals to add or edit a claim. They collect text, and the status as a pick from the ``Status``
enum, and hand them to the service, which validates them: a bad URL, date or length comes back as an
``InvalidInput`` whose message the error handler shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import discord

from bot import formatting
from bot.checks import actor_of
from bot.interactions import collaborators, report_error, respond
from claims_db import wording
from claims_db.models import Claim, Status

__all__ = ["AddClaimModal", "EditClaimModal"]


def _status_select(current: Status = Status.ALLEGED) -> discord.ui.Select[Any]:
    """The status as a pick from the ``Status`` enum, never typed (nothing to mistype)."""
    options = [
        discord.SelectOption(
            label=s.value, value=s.value, description=wording.status_label(s)[:100], default=s is current
        )
        for s in Status
    ]
    return discord.ui.Select(custom_id="status", options=options, min_values=1, max_values=1)


def _input(
    custom_id: str,
    *,
    default: str | None = None,
    required: bool = True,
    paragraph: bool = False,
    max_length: int = 300,
    placeholder: str | None = None,
) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=custom_id,
        default=default,
        required=required,
        style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
        max_length=max_length,
        placeholder=placeholder,
    )


def _value(label: discord.ui.Label[Any]) -> str:
    component = label.component
    if isinstance(component, discord.ui.Select):
        return str(component.values[0]) if component.values else ""
    assert isinstance(component, discord.ui.TextInput)
    return component.value.strip()


class _ClaimModal(discord.ui.Modal):
    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)

    async def _saved(self, interaction: discord.Interaction, claim: Claim, verb: str) -> None:
        embeds = formatting.card_embeds(wording.card(claim))
        await respond(interaction, f"{verb} `{claim.id}`.", embeds=formatting.batches(embeds)[0])


class AddClaimModal(_ClaimModal, title="Add a claim"):
    statement: discord.ui.Label[AddClaimModal] = discord.ui.Label(
        text="Statement",
        description="The claim as one neutral sentence, as people state it (10 to 300 characters).",
        component=_input("statement", paragraph=True, max_length=300),
    )
    status: discord.ui.Label[AddClaimModal] = discord.ui.Label(
        text="Status", description="How far the claim is established.", component=_status_select()
    )
    attribution: discord.ui.Label[AddClaimModal] = discord.ui.Label(
        text="Who asserts it",
        description="A country, body or person, e.g. United States.",
        component=_input("attribution", max_length=200),
    )
    denial: discord.ui.Label[AddClaimModal] = discord.ui.Label(
        text="Who denies it (optional)",
        component=_input("denial", required=False, max_length=200),
    )
    source: discord.ui.Label[AddClaimModal] = discord.ui.Label(
        text="Source URL (optional)",
        description="An http:// or https:// link to where the claim was made or reported.",
        component=_input("source", required=False, max_length=2000),
    )

    def fields(self) -> dict[str, Any]:
        """The modal as a claim in the file format; the service derives the id."""
        claim: dict[str, Any] = {
            "statement": _value(self.statement),
            "status": _value(self.status).lower(),
            "attributions": [{"actor": _value(self.attribution)}],
        }
        if denial := _value(self.denial):
            claim["denials"] = [{"actor": denial}]
        if url := _value(self.source):
            claim["sources"] = [{"url": url}]
        return claim

    async def on_submit(self, interaction: discord.Interaction) -> None:
        claim = await collaborators(interaction).service.add(self.fields(), actor=actor_of(interaction))
        await self._saved(interaction, claim, "Added")


class EditClaimModal(_ClaimModal, title="Edit a claim"):
    def __init__(self, claim: Claim) -> None:
        super().__init__(timeout=1800)
        self.claim_id = claim.id
        self.original = {
            "statement": claim.statement,
            "status": claim.status.value,
            "summary": claim.summary or "",
            "reviewed": claim.reviewed or "",
        }
        self.statement = discord.ui.Label[EditClaimModal](
            text="Statement",
            component=_input("statement", default=claim.statement, paragraph=True, max_length=300),
        )
        self.status = discord.ui.Label[EditClaimModal](
            text="Status",
            description="How far the claim is established.",
            component=_status_select(claim.status),
        )
        self.summary = discord.ui.Label[EditClaimModal](
            text="Summary (optional)",
            component=_input(
                "summary", default=claim.summary, required=False, paragraph=True, max_length=2000
            ),
        )
        self.reviewed = discord.ui.Label[EditClaimModal](
            text="Reviewed (YYYY-MM-DD, optional)",
            component=_input("reviewed", default=claim.reviewed, required=False, max_length=10),
        )
        for item in (self.statement, self.status, self.summary, self.reviewed):
            self.add_item(item)

    def changes(self) -> Mapping[str, Any]:
        """Only the fields the curator changed; an emptied optional field becomes None."""
        typed = {
            "statement": _value(self.statement),
            "status": _value(self.status).lower(),
            "summary": _value(self.summary),
            "reviewed": _value(self.reviewed),
        }
        return {k: (v or None) for k, v in typed.items() if v != self.original[k]}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        changes = self.changes()
        if not changes:
            await interaction.response.send_message(f"`{self.claim_id}` is unchanged.", ephemeral=True)
            return
        service = collaborators(interaction).service
        claim = await service.edit(self.claim_id, changes, actor=actor_of(interaction))
        await self._saved(interaction, claim, "Updated")
