"""The "Wrong match?" modal: an optional comment, then a report in the guild's review queue."""

from __future__ import annotations

import discord

from bot import formatting
from bot.errors import UserFacingError
from bot.interactions import collaborators, report_error, respond, within_deadline
from claims_db.models import AskedVia, Report
from claims_db.service import REPORT_COMMENT_LIMIT, REPORT_TEXT_LIMIT

__all__ = ["ReportModal", "checked_from"]

UNKNOWN_TEXT = "(the checked text could not be recovered)"


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


class ReportModal(discord.ui.Modal, title="Report a wrong match"):
    comment: discord.ui.Label[ReportModal] = discord.ui.Label(
        text="What is wrong? (optional)",
        description="Which claim should it have matched, or why is this one wrong?",
        component=discord.ui.TextInput(
            custom_id="comment",
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=REPORT_COMMENT_LIMIT,
        ),
    )

    def __init__(
        self, *, claim_id: str | None, message: discord.Message | None, original_message_id: int | None
    ) -> None:
        super().__init__(timeout=900)
        self.claim_id = claim_id
        self.message = message
        self.original_message_id = original_message_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        if interaction.guild_id is None:
            await interaction.response.send_message("Reports can only be filed in a server.", ephemeral=True)
            return
        text_input = self.comment.component
        assert isinstance(text_input, discord.ui.TextInput)
        bot = collaborators(interaction)
        refused = bot.report_limits.hit(interaction.guild_id, interaction.user.id)
        if refused:
            raise UserFacingError(refused)
        # A forged submission can carry more than the form allows: the service caps what it stores.
        comment = text_input.value.strip()[:REPORT_COMMENT_LIMIT] or None
        guild_id = interaction.guild_id

        async def work() -> Report:
            checked = await checked_from(self.message)
            report = await bot.service.file_report(
                guild_id=guild_id,
                reporter_id=interaction.user.id,
                message_text=(checked or UNKNOWN_TEXT)[:REPORT_TEXT_LIMIT],
                claim_id=self.claim_id,
                comment=comment,
                channel_id=interaction.channel_id,
                message_id=self.original_message_id,
            )
            if self.claim_id is not None:
                await bot.service.count_use(guild_id, self.claim_id, AskedVia.REPORT)
            return report

        report = await within_deadline(interaction, work(), ephemeral=True)
        await respond(interaction, f"Thanks: report #{report.id} is in the moderators' review queue.")

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await report_error(interaction, error)
