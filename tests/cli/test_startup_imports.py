"""What `check` and `preview` import: only what they use, so the weekly commands start fast.

Measured in benchmarks/ (`-X importtime`); here only which modules a real process ends up with.
"""

from __future__ import annotations

import subprocess
import sys

from testkit import REPO


NOT_NEEDED = ("filelock", "slugify", "text_unidecode", "googleapiclient", "google_auth_oauthlib", "httplib2",
              "srt", "webvtt", "pocketsphinx", "imageio_ffmpeg")  # the caption files and alignment: only where made


def _loaded_after(*commands: list[str]) -> list[str]:
    code = (
        "import sys\nfrom episodekit.cli import main\n"
        + "".join(f"assert main({c!r}) == 0\n" for c in commands)
        + f"print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] in {NOT_NEEDED!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("LOADED")]


def test_check_and_preview_import_neither_the_ledger_lock_nor_the_slug_maker_nor_the_caption_libraries():
    assert _loaded_after(["check"], ["preview", "episodes/what-causes-depression.yaml"]) == ["LOADED []"]


def test_a_bad_file_name_still_gets_its_suggested_slug(channel, run_cli):
    channel.episode("My Episode", "title: Mine\nsummary: [Text.]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1 and "my-episode.yaml" in result.err
