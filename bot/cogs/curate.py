"""``/curate``: moderators edit the claim store and the guild's settings from Discord.

``default_permissions`` only hides the group in Discord's client (server admins can change that), so
``interaction_check`` is the real gate for every subcommand: Manage Server, or the curator role.
Every change is made through the service with the actor ``discord:<user id>`` for the audit log;
invalid input comes back from the service as a ``ClaimsError`` that the error handler shows.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import formatting
from bot.checks import actor_of, require_claims_admin, require_manage_guild
from bot.cogs.lookup import claim_choices, within_deadline
from bot.errors import UserFacingError
from bot.views.claim_form import AddClaimModal, EditClaimModal
from bot.views.review import reports_view
from claims_db import wording

if TYPE_CHECKING:
    from bot.app import ClaimBot
    from claims_db.models import Claim

__all__ = ["Curate"]

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 2_000_000
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
    def __init__(self, bot: ClaimBot) -> None:
        self.bot = bot
        self.service = bot.service
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await require_claims_admin(interaction, self.service)

    async def _changed(self, interaction: discord.Interaction, claim: Claim, what: str) -> None:
        embeds = formatting.batches(formatting.card_embeds(wording.card(claim)))[0]
        await interaction.response.send_message(f"{what} `{claim.id}`.", embeds=embeds, ephemeral=True)

    async def _claim_id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return await claim_choices(self.service, current, by_id=True)

    # -- claims ------------------------------------------------------------------------------------

    @app_commands.command(name="add")
    async def add(self, interaction: discord.Interaction) -> None:
        """Add a claim: statement, status, who asserts it, who denies it, a source."""
        await interaction.response.send_modal(AddClaimModal())

    @app_commands.command(name="edit")
    async def edit(self, interaction: discord.Interaction, id: str) -> None:
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
        id: str,
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
        id: str,
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
        id: str,
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
        self, interaction: discord.Interaction, id: str, text: app_commands.Range[str, 1, 300]
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
        self, interaction: discord.Interaction, id: str, reason: app_commands.Range[str, 3, 500]
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
    async def history(self, interaction: discord.Interaction, id: str) -> None:
        """Every change made to a claim, newest first.

        Parameters
        ----------
        id
            The claim.
        """
        entries = await self.service.history(id)
        await interaction.response.send_message(embed=formatting.history_embed(id, entries), ephemeral=True)

    for _command in (edit, add_attribution, add_denial, add_source, add_paraphrase, retract, history):
        _command.autocomplete("id")(_claim_id_autocomplete)
    del _command

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
        if interaction.response.is_done():
            await interaction.followup.send(summary, ephemeral=True)
        else:
            await interaction.response.send_message(summary, ephemeral=True)

    @app_commands.command(name="export")
    async def export(self, interaction: discord.Interaction) -> None:
        """Download every claim as a JSON file in the claim format."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await self.service.export_claims()
        file = discord.File(io.BytesIO(text.encode("utf-8")), filename="claims.json")
        await interaction.followup.send(
            "All current claims, in the claim file format.", file=file, ephemeral=True
        )

    # -- review queue ------------------------------------------------------------------------------

    @app_commands.command(name="reports")
    async def reports(self, interaction: discord.Interaction) -> None:
        """The "Wrong match?" reports waiting for review, each resolved with one pick."""
        assert interaction.guild_id is not None

        async def work() -> tuple[discord.Embed, discord.ui.View | None]:
            assert interaction.guild_id is not None
            reports = await self.service.reports(interaction.guild_id, status="open")
            settings = await self.bot.guild_settings(interaction.guild_id)
            page = reports[:REPORTS_PER_PAGE]
            items = []
            for report in page:
                outcome = await self.bot.checker.check(report.message_text, limit=4, settings=settings)
                candidates = [outcome.claims[m.claim_id] for m in outcome.result.matches]
                items.append((report, candidates))
            embed = formatting.reports_embed(page, total=len(reports))
            return embed, reports_view(items) if items else None

        embed, view = await within_deadline(interaction, work(), ephemeral=True)
        kwargs: dict[str, Any] = {"embed": embed, "ephemeral": True}
        if view is not None:
            kwargs["view"] = view
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)

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
        self.bot.forget_guild_settings(interaction.guild_id)
        if not enabled:
            text = f"No longer watching {channel.mention}."
        elif self.bot.intents.message_content:
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
        self.bot.forget_guild_settings(interaction.guild_id)
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
        match_threshold: app_commands.Range[float, 0.0, 1.0] | None = None,
        channel_cooldown: app_commands.Range[float, 0.0, 86400.0] | None = None,
        claim_cooldown: app_commands.Range[float, 0.0, 604800.0] | None = None,
        check_rate: app_commands.Range[int, 1, 120] | None = None,
    ) -> None:
        """Show or change this server's matching threshold, cooldowns and /check rate.

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
        """
        assert interaction.guild_id is not None
        changes = _without_none(
            match_threshold=match_threshold,
            channel_cooldown_s=channel_cooldown,
            claim_cooldown_s=claim_cooldown,
            check_rate_per_minute=check_rate,
        )
        if changes:
            current = await self.service.update_guild_settings(
                interaction.guild_id, actor=actor_of(interaction), **changes
            )
            self.bot.forget_guild_settings(interaction.guild_id)
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
        embed.add_field(name="Curator role", value=role)
        embed.add_field(name="Watched channels", value=watched)
        await interaction.response.send_message(embed=embed, ephemeral=True)
