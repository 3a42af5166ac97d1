#!/usr/bin/env python3
"""Run the test suite in .venv (created on first use). Extra arguments go to pytest."""

from __future__ import annotations

import subprocess
import sys

from bootstrap import ROOT, ensure_venv

if __name__ == "__main__":
    python = str(ensure_venv())
    sys.exit(subprocess.run([python, "-m", "pytest", *sys.argv[1:]], cwd=ROOT).returncode)
