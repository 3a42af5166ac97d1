#!/usr/bin/env python3
"""Refresh the sample library (references.yaml at the repository's root) from the recorded records.

The sample channel's papers are completed from the answers doi.org and NCBI gave, which
tests/fake_services/records keeps; this script serves them on 127.0.0.1 (the fake the tests use)
and runs the commands a creator would run against the real services:

    refs add 22885997 17074942 26998365      (one by one: the PMIDs the records know, which bring
                                               the doi.org record of their DOI along)
    refs verify --fix serafini2012 duman2015 kang2012 rush2006 yang2016

andre2008 is left alone on purpose: it is the entry the "fix a reference" walk-through of
docs/references.md corrects. Nothing is typed by hand, so a fact the records lack (the PMIDs of the papers without an
NCBI record, a day) stays out. tests/references/test_sample_library.py checks that the sample library
is what this script makes of the library as first typed.

    python3 scripts/refresh_sample_library.py [--channel FOLDER]    (default: the repository's root)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
PMIDS = ("22885997", "17074942", "26998365")
VERIFIED = ("serafini2012", "duman2015", "kang2012", "rush2006", "yang2016")  # every entry but andre2008
STEPS = [("refs", "add", pmid) for pmid in PMIDS] + [("refs", "verify", "--fix", *VERIFIED)]


def refresh(channel: Path) -> list[tuple[tuple[str, ...], int]]:
    """Run :data:`STEPS` on the channel at ``channel`` against the fake services; each step's exit code."""
    sys.path.insert(0, str(REPO))
    from episodekit.cli import main
    from tests.fake_services.server import FakeServices

    codes = []
    with FakeServices() as fake, tempfile.TemporaryDirectory() as cache:
        environment = dict(EPISODEKIT_DOI_ROOT=fake.doi_root, EPISODEKIT_NCBI_ROOT=fake.ncbi_root,
                           EPISODEKIT_EUTILS_ROOT=fake.eutils_root, EPISODEKIT_CACHE_DIR=cache)
        with mock.patch.dict(os.environ, environment):  # put back as it was afterwards
            os.environ.pop("EPISODEKIT_NCBI_API_KEY", None)
            for step in STEPS:
                codes.append((step, main(["--channel", str(channel), *step])))
    return codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channel", type=Path, default=REPO, help="the channel folder (default: the repository)")
    args = parser.parse_args()
    failed = [" ".join(step) for step, code in refresh(args.channel) if code != 0]
    if failed:
        print(f"failed: {'; '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
