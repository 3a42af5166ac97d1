"""Talking to YouTube: the API client, resumable media and the quota table.

Nothing here is imported by ``import episodekit``; the CLI imports these
modules lazily, only for the commands that reach YouTube.  The submodules are
``client`` (``build_service``, ``youtube_error``), ``media``
(``OffsetFileUpload``) and ``quota`` (``cost_of``, ``next_reset``).
"""
