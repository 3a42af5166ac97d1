"""The offline path, one module per stage, in the order the data flows.

The episodes arrive read and validated from the reading floor (``files/``), then: ``schedule`` (release times, in the order of ``linkorder``) → ``resolve`` (references, links,
channel defaults) → ``cite`` (CSL formatting; ``citecache`` keeps citeproc-py's text on disk) → ``render`` (Jinja2) →
``limits`` (YouTube's rules; ``places`` says where each text was written, so a
problem is reported there) → ``build`` (all of it, for ``check``, ``render``
and ``preview``) → ``output`` (files on disk). ``scaffold`` writes new episodes.
``ledgercheck`` holds the ledger against the episode files (for ``check``, ``upload`` and ``ledger move``).
Nothing here talks to the network.
"""
