#!/usr/bin/env python3
"""Quick start: check, render and preview the sample channel shipped in this folder (one episode in two
languages: English and Brazilian Portuguese)."""

from __future__ import annotations

import subprocess
import sys

from bootstrap import ROOT, ensure_venv


def main() -> int:
    python = str(ensure_venv())
    steps = [
        ["check"],
        ["render"],
        ["preview", "episodes/what-causes-depression.yaml"],
        ["preview", "episodes/what-causes-depression.yaml", "--lang", "pt-BR"],  # its second language
    ]
    for args in steps:
        print(f"\n$ python publish.py {' '.join(args)}", flush=True)
        result = subprocess.run([python, "publish.py", *args], cwd=ROOT)
        if result.returncode != 0:
            return result.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
