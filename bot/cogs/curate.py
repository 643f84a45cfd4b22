"""``/curate``: moderators edit the claim store and the guild's settings from Discord.

``default_permissions`` only hides the group in Discord's client (server admins can change that), so
``interaction_check`` is the real gate for every subcommand: Manage Server, or the curator role.
Every change is made through the service with the actor ``discord:<user id>`` for the audit log;
invalid input comes back from the service as a ``ClaimsError`` that the error handler shows.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import formatting
from bot.checker import Checker
from bot.checks import actor_of, require_claims_admin, require_manage_guild
from bot.errors import UserFacingError
from bot.interactions import respond, within_deadline
from bot.options import (
    ChannelCooldown,
    CheckRate,
    ClaimCooldown,
    ClaimId,
    FollowupRate,
    MatchThreshold,
    UnansweredDays,
)
from bot.settings_cache import GuildSettingsCache
from bot.views.claim_form import AddClaimModal, EditClaimModal
from bot.views.curation import GROUPS_PER_PAGE, stats_embed, unanswered_embed, unanswered_view
from bot.views.review import reports_view
from claims_db import wording
from claims_db.models import Claim, ExportFormat
from claims_db.service import ClaimService

__all__ = ["Curate"]

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 2_000_000
# per format: the file name, how the reply names it, and the choice Discord shows
EXPORTS = {
    ExportFormat.CLAIMS: ("claims.json", "in the claim file format", "claim file (JSON)"),
    ExportFormat.CLAIMREVIEW: (
        "claimreview.jsonld",
        "as schema.org ClaimReview JSON-LD",
        "ClaimReview (JSON-LD)",
    ),
}
REPORTS_PER_PAGE = 5


def _without_none(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _source(
    url: str | None, outlet: str | None = None, title: str | None = None, date: str | None = None
) -> dict[str, Any] | None:
    fields = _without_none(url=url, outlet=outlet, title=title, date=date)
    return fields or None


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Curate(
    commands.GroupCog, group_name="curate", group_description="Curate the claim store (moderators)."
):
    """Curation.

    Parameters
    ----------
    service
        The loaded ``ClaimService``.
    checker
        Matches off the event loop (the review queue shows each report's candidates).
    guild_settings
        The guilds' settings; forgotten here when a curator changes them.
    reads_messages
        Whether the bot has the message-content intent now (watch mode needs it).
    """

    def __init__(
        self,
        service: ClaimService,
        *,
        checker: Checker,
        guild_settings: GuildSettingsCache,
        reads_messages: Callable[[], bool],
    ) -> None:
        self.service = service
        self.checker = checker
        self.guild_settings = guild_settings
        self.reads_messages = reads_messages
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await require_claims_admin(interaction, self.service)

    async def _changed(self, interaction: discord.Interaction, claim: Claim, what: str) -> None:
        embeds = formatting.batches(formatting.card_embeds(wording.card(claim)))[0]
        await respond(interaction, f"{what} `{claim.id}`.", embeds=embeds)

    # -- claims ------------------------------------------------------------------------------------

    @app_commands.command(name="add")
    async def add(self, interaction: discord.Interaction) -> None:
        """Add a claim: statement, status, who asserts it, who denies it, a source."""
        await interaction.response.send_modal(AddClaimModal())

    @app_commands.command(name="edit")
    async def edit(self, interaction: discord.Interaction, id: ClaimId) -> None:
        """Edit a claim's statement, status, summary or review date.

        Parameters
        ----------
        id
            The claim to edit.
        """
        stored = await self.service.get(id)
        await interaction.response.send_modal(EditClaimModal(stored.claim))

    @app_commands.command(name="add-attribution")
    async def add_attribution(
        self,
        interaction: discord.Interaction,
        id: ClaimId,
        actor: app_commands.Range[str, 1, 200],
        verb: app_commands.Range[str, 1, 40] | None = None,
        speaker: app_commands.Range[str, 1, 200] | None = None,
        date: app_commands.Range[str, 4, 10] | None = None,
        quote: app_commands.Range[str, 1, 2000] | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
        outlet: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Record another party asserting a claim.

        Parameters
        ----------
        id
            The claim.
        actor
            Who asserts it: a country, body or person.
        verb
            alleges, says, claims, reports, assesses, concluded, acknowledged… (default: says)
        speaker
            Who spoke for the actor.
        date
            When, as YYYY-MM-DD, YYYY-MM or YYYY.
        quote
            Their words.
        url
            Where they said it (http or https).
        outlet
            The outlet that published it.
        """
        fields = _without_none(
            actor=actor,
            verb=verb,
            speaker=speaker,
            date=date,
            quote=quote,
            source=_source(url, outlet, date=date),
        )
        claim = await self.service.add_attribution(id, fields, actor=actor_of(interaction))
        await self._changed(interaction, claim, "Added an attribution to")

    @app_commands.command(name="add-denial")
    async def add_denial(
        self,
        interaction: discord.Interaction,
        id: ClaimId,
        actor: app_commands.Range[str, 1, 200],
        speaker: app_commands.Range[str, 1, 200] | None = None,
        date: app_commands.Range[str, 4, 10] | None = None,
        quote: app_commands.Range[str, 1, 2000] | None = None,
        url: app_commands.Range[str, 1, 2000] | None = None,
        outlet: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        """Record a party rejecting a claim.

        Parameters
        ----------
        id
            The claim.
        actor
            Who denies it: a country, body or person.
        speaker
            Who spoke for the actor.
        date
            When, as YYYY-MM-DD, YYYY-MM or YYYY.
        quote
            Their words.
        url
            Where they said it (http or https).
        outlet
            The outlet that published it.
        """
        fields = _without_none(
            actor=actor, speaker=speaker, date=date, quote=quote, source=_source(url, outlet, date=date)
        )
        claim = await self.service.add_denial(id, fields, actor=actor_of(interaction))
        await self._changed(interaction, claim, "Added a denial to")

    @app_commands.command(name="add-source")
    async def add_source(
        self,
        interaction: discord.Interaction,
        id: ClaimId,
        url: app_commands.Range[str, 1, 2000],
        outlet: app_commands.Range[str, 1, 200] | None = None,
        title: app_commands.Range[str, 1, 2000] | None = None,
        date: app_commands.Range[str, 4, 10] | None = None,
    ) -> None:
        """Add further reading to a claim.

        Parameters
        ----------
        id
            The claim.
        url
            The link (http or https).
        outlet
            Who published it.
        title
            Its title.
        date
            When, as YYYY-MM-DD, YYYY-MM or YYYY.
        """
        fields = _without_none(url=url, outlet=outlet, title=title, date=date)
        claim = await self.service.add_source(id, fields, actor=actor_of(interaction))
        await self._changed(interaction, claim, "Added a source to")

    @app_commands.command(name="add-paraphrase")
    async def add_paraphrase(
        self, interaction: discord.Interaction, id: ClaimId, text: app_commands.Range[str, 1, 300]
    ) -> None:
        """Teach the matcher another way people state a claim.

        Parameters
        ----------
        id
            The claim.
        text
            The claim in other words (10 to 300 characters).
        """
        claim = await self.service.add_paraphrase(id, text, actor=actor_of(interaction))
        await self._changed(interaction, claim, "Added a paraphrase to")

    @app_commands.command(name="retract")
    async def retract(
        self, interaction: discord.Interaction, id: ClaimId, reason: app_commands.Range[str, 3, 500]
    ) -> None:
        """Withdraw a claim from matching; its history is kept.

        Parameters
        ----------
        id
            The claim.
        reason
            Why, for the audit log.
        """
        await self.service.retract(id, reason, actor=actor_of(interaction))
        await interaction.response.send_message(
            formatting.retracted_text(id, reason, just_now=True), ephemeral=True
        )

    @app_commands.command(name="history")
    async def history(self, interaction: discord.Interaction, id: ClaimId) -> None:
        """Every change made to a claim, newest first.

        Parameters
        ----------
        id
            The claim.
        """
        entries = await self.service.history(id)
        await interaction.response.send_message(embed=formatting.history_embed(id, entries), ephemeral=True)

    @app_commands.command(name="import")
    async def import_(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        update: bool = False,
        restore: bool = False,
        dry_run: bool = False,
    ) -> None:
        """Import claims from a JSON file in the claim format: all of them, or none.

        Parameters
        ----------
        file
            A .json file: an array of claims.
        update
            Replace stored claims whose content differs from the file's (otherwise that is an error).
        restore
            Make retracted claims that the file holds as active active again.
        dry_run
            Change nothing; show what would be added, changed and left alone.
        """
        if file.size > MAX_IMPORT_BYTES:
            raise UserFacingError(
                f"{file.filename} is {file.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,}."
            )

        async def work() -> str:
            data = await file.read()
            report = await self.service.import_claims(
                data,
                actor=actor_of(interaction),
                filename=file.filename,
                update=update,
                restore=restore,
                dry_run=dry_run,
            )
            return str(report)

        summary = await within_deadline(interaction, work(), ephemeral=True)
        if len(summary) > 1900:  # a long dry run: Discord takes 2,000 characters per message
            summary = summary[:1900].rsplit("\n", 1)[0] + "\n… (more: `claimbot import --dry-run` lists all)"
        await respond(interaction, summary)

    @app_commands.command(name="export")
    @app_commands.choices(
        format=[app_commands.Choice(name=EXPORTS[f][2], value=f.value) for f in ExportFormat]
    )
    async def export(self, interaction: discord.Interaction, format: str = ExportFormat.CLAIMS) -> None:
        """Download every claim as a JSON file: the claim format, or schema.org ClaimReview.

        Parameters
        ----------
        format
            claims (the file /curate import takes back) or claimreview (JSON-LD for fact-checkers).
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        chosen = ExportFormat(format)
        text = await self.service.export_claims(fmt=chosen)
        name, what, _ = EXPORTS[chosen]
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename=name)
        await respond(interaction, f"All current claims, {what}.", file=file)

    # -- review queue ------------------------------------------------------------------------------

    @app_commands.command(name="reports")
    async def reports(self, interaction: discord.Interaction) -> None:
        """The "Wrong match?" reports waiting for review, each resolved with one pick."""
        assert interaction.guild_id is not None

        async def work() -> tuple[discord.Embed, discord.ui.View | None]:
            assert interaction.guild_id is not None
            reports = await self.service.reports(interaction.guild_id)
            settings = await self.guild_settings.get(interaction.guild_id)
            page = reports[:REPORTS_PER_PAGE]
            items = []
            for report in page:
                outcome = await self.checker.check(report.message_text, limit=4, settings=settings)
                candidates = [outcome.claims[m.claim_id] for m in outcome.result.matches]
                items.append((report, candidates))
            embed = formatting.reports_embed(page, total=len(reports))
            return embed, reports_view(items) if items else None

        embed, view = await within_deadline(interaction, work(), ephemeral=True)
        await respond(interaction, embeds=[embed], view=view)

    @app_commands.command(name="unanswered")
    async def unanswered(self, interaction: discord.Interaction) -> None:
        """What members asked that no claim answers, grouped, newest first: make claims of them."""
        assert interaction.guild_id is not None

        async def work() -> tuple[discord.Embed, discord.ui.View | None]:
            assert interaction.guild_id is not None
            settings = await self.guild_settings.get(interaction.guild_id)
            groups = await self.service.unanswered(interaction.guild_id)
            items = []
            for group in groups[:GROUPS_PER_PAGE]:
                outcome = await self.checker.check(group.text, limit=4, settings=settings)
                items.append((group, [outcome.claims[m.claim_id] for m in outcome.result.matches]))
            embed = unanswered_embed(
                groups, days=settings.unanswered_days, recording=settings.record_unanswered
            )
            return embed, unanswered_view(items) if items else None

        embed, view = await within_deadline(interaction, work(), ephemeral=True)
        await respond(interaction, embeds=[embed], view=view)

    @app_commands.command(name="stats")
    async def stats(self, interaction: discord.Interaction) -> None:
        """How often each claim came up in this server: /check, the menu, watch mode, reports."""
        assert interaction.guild_id is not None
        usage = await self.service.usage(interaction.guild_id)
        await respond(interaction, embeds=[stats_embed(usage)])

    @app_commands.command(name="sources")
    async def sources(self, interaction: discord.Interaction) -> None:
        """The claims' sources whose links failed their last check, and since when."""
        checks = await self.service.source_checks()
        await interaction.response.send_message(embed=formatting.dead_sources_embed(checks), ephemeral=True)

    # -- guild settings ----------------------------------------------------------------------------

    @app_commands.command(name="watch")
    async def watch(
        self, interaction: discord.Interaction, channel: discord.TextChannel, enabled: bool
    ) -> None:
        """Let the bot answer confident matches in a channel unasked (or stop it).

        Parameters
        ----------
        channel
            The channel to watch.
        enabled
            True to watch it, False to stop.
        """
        assert interaction.guild_id is not None
        await self.service.set_watch(interaction.guild_id, channel.id, enabled, actor=actor_of(interaction))
        self.guild_settings.forget(interaction.guild_id)
        if not enabled:
            text = f"No longer watching {channel.mention}."
        elif self.reads_messages():
            text = f"Watching {channel.mention}: I reply to confident matches only, within the cooldowns."
        else:
            text = (
                f"Watching {channel.mention}, but the message-content intent is not enabled for this bot, "
                "so I cannot read messages there. Enable it in the Discord developer portal and restart me."
            )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="admin-role")
    async def admin_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        """Let a role curate claims besides Manage Server (leave empty to remove it); Manage Server only.

        Parameters
        ----------
        role
            The curator role.
        """
        require_manage_guild(interaction)
        assert interaction.guild_id is not None
        await self.service.update_guild_settings(
            interaction.guild_id, actor=actor_of(interaction), admin_role_id=role.id if role else None
        )
        self.guild_settings.forget(interaction.guild_id)
        text = (
            f"Members with {role.mention} can now curate claims."
            if role
            else "Only Manage Server can curate now."
        )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="settings")
    async def settings(
        self,
        interaction: discord.Interaction,
        match_threshold: MatchThreshold | None = None,
        channel_cooldown: ChannelCooldown | None = None,
        claim_cooldown: ClaimCooldown | None = None,
        check_rate: CheckRate | None = None,
        record_unanswered: bool | None = None,
        unanswered_days: UnansweredDays | None = None,
        followups: bool | None = None,
        followup_rate: FollowupRate | None = None,
    ) -> None:
        """Show or change this server's matching threshold, cooldowns, /check rate and curation aids.

        Parameters
        ----------
        match_threshold
            Score (0 to 1) a match needs before the bot speaks unasked.
        channel_cooldown
            Watch mode: seconds between two replies in one channel.
        claim_cooldown
            Watch mode: seconds before the same claim is answered again in one channel.
        check_rate
            /check uses allowed per member per minute.
        record_unanswered
            Keep the texts /check could not answer for /curate unanswered (no author is kept).
        unanswered_days
            Days those texts are kept.
        followups
            Edit earlier public cards, and note it in watch-mode replies, when a claim changes.
        followup_rate
            Follow-up edits and notes per hour at most.
        """
        assert interaction.guild_id is not None
        changes = _without_none(
            match_threshold=match_threshold,
            channel_cooldown_s=channel_cooldown,
            claim_cooldown_s=claim_cooldown,
            check_rate_per_minute=check_rate,
            record_unanswered=record_unanswered,
            unanswered_days=unanswered_days,
            followups=followups,
            followup_rate_per_hour=followup_rate,
        )
        if changes:
            current = await self.service.update_guild_settings(
                interaction.guild_id, actor=actor_of(interaction), **changes
            )
            self.guild_settings.forget(interaction.guild_id)
        else:
            current = await self.service.guild_settings(interaction.guild_id)
        watched = ", ".join(f"<#{c}>" for c in sorted(current.watch_channels)) or "none"
        role = f"<@&{current.admin_role_id}>" if current.admin_role_id else "none (Manage Server only)"
        threshold = f"{current.match_threshold:.2f}" if current.match_threshold is not None else "default"
        embed = discord.Embed(
            title="Settings" + (" updated" if changes else ""), colour=formatting.NEUTRAL_COLOUR
        )
        embed.add_field(name="Match threshold", value=threshold)
        embed.add_field(name="Channel cooldown", value=f"{current.channel_cooldown_s:g} s")
        embed.add_field(name="Claim cooldown", value=f"{current.claim_cooldown_s:g} s")
        embed.add_field(name="/check per minute", value=str(current.check_rate_per_minute))
        unanswered = f"kept {current.unanswered_days} days" if current.record_unanswered else "off"
        embed.add_field(name="Unanswered questions", value=unanswered)
        follow = f"on, {current.followup_rate_per_hour} an hour" if current.followups else "off"
        embed.add_field(name="Follow-ups", value=follow)
        embed.add_field(name="Curator role", value=role)
        embed.add_field(name="Watched channels", value=watched)
        await interaction.response.send_message(embed=embed, ephemeral=True)
