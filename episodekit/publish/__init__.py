"""Pure plans and state: what would be sent to YouTube, and why, decided without the network.

``upload`` (the upload plan), ``sync`` (which live videos must change, field by
field), ``quota`` (what each call costs), ``fingerprint`` and ``status`` (what
made a description stale), ``release`` (the weekly run), ``agenda`` (the
release calendar). Nothing here imports the Google client; ``episodekit.youtube``
sends what these modules decide.
"""
