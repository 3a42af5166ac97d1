"""The weekly routine on the command line: check, render, preview — and what goes wrong."""

from __future__ import annotations

import json
import subprocess
import sys

from testkit import REPO


def test_publish_py_checks_the_sample_channel_in_a_real_process():
    result = subprocess.run(
        [sys.executable, "publish.py", "check"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "checked 2 episode(s): all valid" in result.stdout


def test_check_and_preview_do_not_import_the_google_client():
    code = (
        "import sys\n"
        "from episodekit.cli import main\n"
        "assert main(['check']) == 0\n"
        "assert main(['preview', 'episodes/what-causes-depression.yaml']) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('googleapiclient', 'google.auth', 'httplib2')))\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout


def test_check_passes_on_a_valid_episode(channel, run_cli):
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0
    assert "checked 1 episode(s): all valid" in result.out


def test_check_json_lists_problems_with_file_line_field(channel, run_cli):
    channel.episode("bad", "title: T\nsummary: [x]\ncitations: [nosuchkey]\n")
    result = run_cli("check", "--json", cwd=channel.root)
    assert result.code == 1
    problems = json.loads(result.out)
    assert problems == [{
        "path": "episodes/bad.yaml", "line": 3, "field": "citations[0]",
        "message": "unknown citation key 'nosuchkey' (not in references.yaml or this episode)",
        "severity": "error",
    }]


def test_check_accepts_a_slug_instead_of_a_path(channel, run_cli):
    assert run_cli("check", "test-episode", cwd=channel.root).code == 0


def test_check_finds_channel_yaml_in_a_parent_folder(channel, run_cli):
    assert run_cli("check", cwd=channel.root / "episodes").code == 0


def test_channel_option_points_at_another_folder(channel, run_cli, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert run_cli("--channel", str(channel.root), "check", cwd=elsewhere).code == 0


def test_render_writes_the_texts_and_the_caption_track_of_each_episode(channel, run_cli):
    result = run_cli("render", "--out", "out", cwd=channel.root)
    assert result.code == 0, result.err
    folder = channel.root / "out" / "test-episode"
    assert sorted(p.name for p in folder.iterdir()) == ["captions.srt", "captions.vtt", "description.txt",
                                                        "references.txt", "script.md"]
    script = (folder / "script.md").read_text()
    assert "Synapses are lost [1] and genes change [2]." in script
    description = (folder / "description.txt").read_text()
    assert "1. Serafini G." in description and "2. Kang HJ, Voleti B, et al." in description
    assert description.rstrip().endswith("Subscribe: https://example.org/subscribe")


def test_render_defaults_to_build_in_the_channel_folder(channel, run_cli):
    assert run_cli("render", cwd=channel.root / "episodes").code == 0
    assert (channel.root / "build" / "test-episode" / "description.txt").exists()


def test_render_writes_nothing_when_one_of_several_is_invalid(channel, run_cli):
    channel.episode("zz-broken", "title: T\nsummary: [x]\nvideos: [{url: 'https://vimeo.com/1', title: x}]\n")
    result = run_cli("render", cwd=channel.root)
    assert result.code == 1
    assert "episodes/zz-broken.yaml:3" in result.err
    assert not (channel.root / "build").exists()


def test_preview_prints_the_description_and_a_summary_on_stderr(channel, run_cli):
    result = run_cli("preview", "episodes/test-episode.yaml", cwd=channel.root)
    assert result.code == 0
    assert result.out.startswith("First paragraph.")
    assert "description: " in result.err and " of 5000 bytes" in result.err
    assert "title: 14 of 100 characters" in result.err
    assert "script: 6 words" in result.err
    assert "release: Wed" in result.err


def test_preview_parts(channel, run_cli):
    script = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert script.out.startswith("# A Test Episode")
    references = run_cli("preview", "test-episode", "--part", "references", cwd=channel.root)
    assert references.out.splitlines()[0].startswith("1. Serafini G.")


def test_preview_of_an_invalid_episode_exits_1(channel, run_cli):
    channel.episode("bad", "title: T\nsummary: [x]\ndisclaimer: [3]\n")
    result = run_cli("preview", "bad", cwd=channel.root)
    assert result.code == 1
    assert result.err.startswith("episodes/bad.yaml:3: disclaimer:")


def test_usage_errors_exit_2(channel, run_cli):
    assert run_cli("preview", "test-episode", "--part", "thumbnail", cwd=channel.root).code == 2
    assert run_cli("no-such-command", cwd=channel.root).code == 2
    assert run_cli("preview", cwd=channel.root).code == 2


def test_schema_command_writes_the_three_schemas(channel, run_cli):
    result = run_cli("schema", cwd=channel.root)
    assert result.code == 0
    written = sorted(p.name for p in (channel.root / "schema").iterdir())
    assert written == ["channel.schema.json", "episode.schema.json", "references.schema.json"]
    schema = json.loads((channel.root / "schema" / "episode.schema.json").read_text())
    assert "title" in schema["properties"] and schema["additionalProperties"] is False


def test_python_dash_m_and_publish_py_are_the_same_program():
    via_module = subprocess.run(
        [sys.executable, "-m", "episodekit", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    via_script = subprocess.run(
        [sys.executable, "publish.py", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert via_module.returncode == via_script.returncode == 0
    for command in ("check", "render", "preview", "schema"):
        assert command in via_module.stdout and command in via_script.stdout
