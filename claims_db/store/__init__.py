"""Claim stores: SQLite (the embedded default) and PostgreSQL, behind one protocol."""

from claims_db.store.base import ENV_DB, ClaimStore, default_url, open_store

__all__ = ["ENV_DB", "ClaimStore", "default_url", "open_store"]
