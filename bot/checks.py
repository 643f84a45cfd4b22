"""Who may curate: Manage Server, or the guild's curator role set with ``/curate admin-role``.

``default_permissions`` on the ``/curate`` group only hides it in Discord's client, and server admins
can change that; this check is the real gate, run by the cog for every subcommand and component.
"""

from __future__ import annotations

import discord
from discord import app_commands

from claims_db.service import ClaimService

__all__ = ["NotClaimsAdmin", "actor_of", "is_claims_admin", "require_claims_admin", "require_manage_guild"]


class NotClaimsAdmin(app_commands.CheckFailure):
    """The member may not curate claims in this guild."""

    def __init__(self, role_id: int | None) -> None:
        role = f" or the <@&{role_id}> role" if role_id else ""
        super().__init__(f"Only members with Manage Server{role} can curate claims here.")


class NotServerManager(app_commands.CheckFailure):
    """The member may curate, but not change who curates."""

    def __init__(self) -> None:
        super().__init__("Only members with Manage Server can choose the curator role.")


def require_manage_guild(interaction: discord.Interaction) -> bool:
    """Manage Server (or Administrator), or raise ``NotServerManager``: the curator role is not enough.

    Whoever holds the curator role could otherwise re-point it, locking the other curators out or
    handing it to a broad role such as @everyone.
    """
    perms = interaction.permissions
    if interaction.guild_id is not None and (perms.manage_guild or perms.administrator):
        return True
    raise NotServerManager()


async def is_claims_admin(interaction: discord.Interaction, service: ClaimService) -> bool:
    """True for Manage Server (or Administrator), or for the guild's curator role."""
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        return False
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    settings = await service.guild_settings(interaction.guild_id)
    role_id = settings.admin_role_id
    return role_id is not None and interaction.user.get_role(role_id) is not None


async def require_claims_admin(interaction: discord.Interaction, service: ClaimService) -> bool:
    """``is_claims_admin`` or raise ``NotClaimsAdmin`` with a hint naming what is needed."""
    if await is_claims_admin(interaction, service):
        return True
    role_id = None
    if interaction.guild_id is not None:
        role_id = (await service.guild_settings(interaction.guild_id)).admin_role_id
    raise NotClaimsAdmin(role_id)


def actor_of(interaction: discord.Interaction) -> str:
    """Who made a change, as the audit log records it."""
    return f"discord:{interaction.user.id}"
