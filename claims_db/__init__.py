"""claims_db: the claim store, matching and import/export of claimbot. Never imports discord."""
