"""Fakes for tests: a fake Discord (REST + gateway) that the real discord.py client talks to."""
