"""In-process tests of the bot's pure parts: formatting, rate limits, settings, the entry point."""
