"""One cog per concern: lookup (/check, /claim), curation (/curate), watch mode."""
