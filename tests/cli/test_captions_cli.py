"""`captions` and `preview --teleprompter` as a user runs them."""

from __future__ import annotations

import subprocess
import sys

import srt
import webvtt


def test_captions_writes_subrip_beside_the_outputs_and_says_how_it_was_timed(channel, run_cli):
    result = run_cli("captions", "test-episode", cwd=channel.root)
    assert result.code == 0, result.err
    target = channel.root / "build/test-episode/captions.srt"
    (cue,) = srt.parse(target.read_text(encoding="utf-8"))
    assert cue.content == "Synapses are lost and genes change."
    lines = result.out.splitlines()
    assert lines[0] == "wrote build/test-episode/captions.srt: 1 cues, 6 words"
    assert lines[1] == "timing: estimated at 150 words per minute; sections: 'Start' at 0:00"


def test_the_format_follows_the_option_or_the_file_name(channel, run_cli, tmp_path):
    assert run_cli("captions", "test-episode", "--format", "vtt", cwd=channel.root).code == 0
    assert webvtt.read(str(channel.root / "build/test-episode/captions.vtt")).captions
    out = tmp_path / "track.vtt"
    assert run_cli("captions", "test-episode", "--out", str(out), cwd=channel.root).code == 0
    assert out.read_text(encoding="utf-8").startswith("WEBVTT\n")


def test_a_clash_or_a_folder_is_refused_before_anything_is_written(channel, run_cli, tmp_path):
    clash = run_cli("captions", "test-episode", "--format", "srt", "--out", str(tmp_path / "x.vtt"), cwd=channel.root)
    assert clash.code == 2 and "ends in .vtt but --format is srt" in clash.err
    folder = run_cli("captions", "test-episode", "--out", str(tmp_path), cwd=channel.root)
    assert folder.code == 2 and "is a folder" in folder.err
    assert not (channel.root / "build").exists()


def test_missing_audio_is_an_error_and_a_missing_upload_video_only_a_note(channel, run_cli):
    missing = run_cli("captions", "test-episode", "--audio", "nope.wav", cwd=channel.root)
    assert missing.code == 1 and "--audio: nope.wav is not a file" in missing.err
    path = channel.root / "episodes/test-episode.yaml"
    path.write_text(path.read_text() + "upload: {video: video/later.mp4}\n")
    later = run_cli("captions", "test-episode", cwd=channel.root)
    assert later.code == 0 and "upload.video video/later.mp4 is not there yet; the times are estimated" in later.err


def test_without_the_align_extra_the_message_says_how_to_install_it(channel, tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF")
    code = ("import sys; sys.modules['pocketsphinx'] = None\nfrom episodekit.cli import main\n"
            f"raise SystemExit(main(['captions', 'test-episode', '--audio', {str(audio)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=channel.root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "needs the align extra, which is not installed" in done.stderr and "episodekit[align]" in done.stderr
    assert "Traceback" not in done.stderr


def test_preview_writes_the_teleprompter_page(channel, run_cli, tmp_path):
    result = run_cli("preview", "test-episode", "--teleprompter", cwd=channel.root)
    assert result.code == 0 and "wrote build/test-episode/teleprompter.html" in result.out
    page = (channel.root / "build/test-episode/teleprompter.html").read_text(encoding="utf-8")
    assert "script-src 'sha256-" in page and 'class="cite">[1]</span>' in page
    both = run_cli("preview", "test-episode", "--teleprompter", "--html", cwd=channel.root)
    assert both.code == 2 and "give one of them" in both.err
