"""episodekit: one YAML file per episode becomes its script, YouTube description and references.

The names in ``__all__`` are the API a script may call; everything else may
change. They are imported on first use, so ``import episodekit`` stays cheap
(and never imports the Google client)::

    import episodekit

    ws = episodekit.Workspace.open()
    report = episodekit.build_episodes(ws, ws.episode_paths())
    episodekit.render_to(report.valid, ws.root / "build")

The JSON documents the commands print with ``--json`` are built by these functions and methods
(``sync_document``, ``restore_document``, ``upload_document``, ``ReleaseCheck.as_json``), so a
script gets the same data without the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_API = {
    "Workspace": "workspace",
    "EpisodekitError": "errors",
    "InputError": "errors",
    "Problem": "errors",
    "ExitCode": "errors",
    "build_episodes": "pipeline.build",
    "build_valid": "pipeline.build",
    "BuildReport": "pipeline.build",
    "EpisodeBuild": "pipeline.build",
    "render_to": "pipeline.output",
    "plan_upload": "publish.upload",
    "UploadPlan": "publish.upload",
    "wanted_videos": "publish.sync",
    "plan_from_ledger": "publish.sync",
    "SyncPlan": "publish.sync",
    "episode_statuses": "publish.status",
    "prepare_release": "publish.release",
    "ReleaseCheck": "publish.release",
    "upload_episode": "youtube.uploader",
    "upload_document": "youtube.uploader",
    "run_sync": "youtube.syncer",
    "sync_document": "youtube.syncer",
    "run_restore": "youtube.restore",
    "restore_document": "youtube.restore",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'episodekit' has no attribute {name!r}")
    value = getattr(import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
