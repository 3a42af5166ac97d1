"""The models are built when first used, not when imported, and keep their rules when they are."""

from __future__ import annotations

import subprocess
import sys

from testkit import REPO


CODE = """
from episodekit.models.episode import Episode
from episodekit.models.ledger import Ledger
print("BEFORE", Episode.__pydantic_complete__, Ledger.__pydantic_complete__)
try:
    Episode.model_validate({"title": "T", "summary": ["One."], "sumary": ["x"]})
except Exception as exc:
    print("REFUSED", type(exc).__name__, "sumary" in str(exc))
print("AFTER", Episode.__pydantic_complete__, Ledger.__pydantic_complete__)
"""


def test_importing_the_models_builds_none_and_the_first_use_builds_only_that_one():
    result = subprocess.run([sys.executable, "-c", CODE], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["BEFORE False False", "REFUSED ValidationError True", "AFTER True False"]


ALL = """
import inspect, pkgutil, importlib
import pydantic
import episodekit.models as models
classes = set()
for info in pkgutil.iter_modules(models.__path__):
    module = importlib.import_module(f"episodekit.models.{info.name}")
    classes |= {c for _, c in inspect.getmembers(module, inspect.isclass)
                if issubclass(c, pydantic.BaseModel) and c.__module__.startswith("episodekit.")}
print(len(classes), sorted(c.__name__ for c in classes if c.__pydantic_complete__))
"""


def test_importing_every_model_module_builds_no_model_of_ours():
    """ReferenceLibrary too: a parametrized RootModel[...] base used to build it (and Reference) at import."""
    result = subprocess.run([sys.executable, "-c", ALL], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    count, built = result.stdout.split(" ", 1)
    assert int(count) > 20 and built.strip() == "[]"
