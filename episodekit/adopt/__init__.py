"""Adopting an existing channel: hand-typed descriptions read back into episodes."""
