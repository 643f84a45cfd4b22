"""Buttons, selects and modals. Persistent ones are DynamicItems: their state is in the custom id."""
