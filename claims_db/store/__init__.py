"""Claim stores: SQLite (the embedded default) and PostgreSQL, behind one protocol."""

from claims_db.store.base import ClaimStore, open_store

__all__ = ["ClaimStore", "open_store"]
