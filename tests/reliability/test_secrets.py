"""Security from the user's side: secrets never leave their files, YAML tags never run, episode text is
never a template, channel templates cannot reach Python, and an episode cannot send a file from
outside its channel."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from invariants import no_crash
from test_kills import run_and_kill
from test_upload_faults import SIZE

from episodekit.retrying import RetryPolicy


def secrets_of(fake) -> set[str]:
    """Every token the fake knows, the client secret, and every upload session's id (its URL's key)."""
    return {*fake.valid_tokens, *fake.refresh_tokens, "test-secret", *fake._sessions}


def written_under(*roots: Path, but: set[Path]) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for root in roots for p in root.rglob("*")
            if p.is_file() and not p.is_symlink() and p not in but}


def test_tokens_and_session_urls_appear_in_no_output_log_backup_or_build_file(
        channel, fake, youtube_env, run_cli, monkeypatch, tmp_path_factory):
    monkeypatch.setattr(RetryPolicy, "wait", lambda self, attempt, retry_after=None: None)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    channel.ready_to_upload(SIZE, playlist=fake.add_playlist())
    outputs, logs = [], []
    # a killed upload leaves its session; YouTube forgets it; the rerun says so; --restart uploads
    assert run_and_kill(["-v", "upload", "test-episode", "--yes"], channel.root, fake, 2, 0.0, logs) in (None, 0)
    fake.fail_chunk(len(fake.requests) + 1, status=503)  # a retried chunk is logged
    session_ids = set(fake._sessions)
    fake._sessions.clear()
    for args in (["-v", "upload", "test-episode", "--yes"], ["-v", "upload", "test-episode", "--yes", "--restart"],
                 ["-v", "status"], ["-v", "auth", "status", "--json"], ["-v", "diff", "test-episode", "--json"]):
        outputs.append(run_cli(*args, cwd=channel.root))
    channel.write("references.yaml", (channel.root / "references.yaml").read_text().replace("Decreased", "Lower"))
    fake.fail_next("videos.update", status=503)
    outputs.append(run_cli("-v", "sync", "--yes", "--json", cwd=channel.root))
    fake.exhaust_quota()
    outputs.append(run_cli("-v", "diff", "test-episode", cwd=channel.root))
    fake.valid_tokens.clear()  # revoked: the client tries to renew it, at Google, out of reach
    outputs.append(run_cli("-v", "sync", "--yes", cwd=channel.root))
    for result in outputs:
        no_crash(result)
    assert outputs[2].code == 0 and len(fake.videos) == 1, [r.err for r in outputs[:3]]
    assert list((channel.root / "backups").glob("*/*.json")), outputs[6].err  # a backup was written

    secrets = secrets_of(fake) | session_ids
    state = Path(os.environ["XDG_STATE_HOME"])
    sessions = set(state.rglob("*.json"))
    files = written_under(channel.root, home, state, youtube_env.parent, but={youtube_env, *sessions})
    seen = [r.out + r.err for r in outputs] + logs
    assert "upload" in logs[0]  # the killed run's log was read
    assert fake.access_token in youtube_env.read_text()  # the search looks for what is really there
    leaks = [(where, s) for s in secrets for where, text in
             [*((f"run {i}", t) for i, t in enumerate(seen)), *((p, b.decode("latin-1")) for p, b in files.items())]
             if s in text]
    assert leaks == []
    for path in [youtube_env, *sessions]:  # where the secrets belong: files only their owner reads
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


PWNED_TAG = "!!python/object/apply:os.system ['touch {marker}']"


@pytest.mark.parametrize("where", ["episodes/test-episode.yaml", "channel.yaml", "references.yaml", "published.yaml"])
def test_a_python_tag_never_runs_in_any_file_or_command(channel, run_cli, tmp_path_factory, where):
    marker = tmp_path_factory.mktemp("marker") / "ran"
    path = channel.root / where
    old = path.read_text() if path.exists() else "episodes: {}\n"
    path.write_text(f"evil: {PWNED_TAG.format(marker=marker)}\n" + old)
    for command in (["check"], ["render"], ["preview", "test-episode"], ["status"], ["calendar"], ["new", "X y"]):
        result = run_cli(*command, cwd=channel.root)
        no_crash(result)
        if command == ["check"] or result.code:  # status and calendar list a broken episode as invalid
            assert result.code == 1 and "!!python/object/apply:os.system is not allowed" in result.err, (command, result.err)
    assert not marker.exists()


TEMPLATE_TEXT = ["{{ 7 * 7 }}", "{% for x in range(3) %}x{% endfor %}", "{{ cycler.__init__.__globals__ }}",
                 "{# hidden #}", "{%- raw %}"]


@pytest.mark.parametrize("text", TEMPLATE_TEXT)
def test_template_syntax_in_any_episode_text_renders_as_written(channel, run_cli, text):
    q = json.dumps(text)  # a YAML double-quoted string
    channel.episode("test-episode", f"""\
        title: {q}
        schedule: next
        summary: [{q}]
        script:
          - heading: {q}
            body: {json.dumps(text + " [@kang2012]")}
        videos: [{{title: {q}, url: "https://youtu.be/2z5krS51pNg"}}]
        citations: [kang2012, {{id: inline1, title: {q}, issued: 2001}}]
        disclaimer: {q}
        tags: [{q}]
        chapters: [{{at: "0:00", title: {q}}}, {{at: "0:10", title: Two}}, {{at: "0:20", title: Three}}]
        """)
    result = run_cli("render", cwd=channel.root)
    assert result.code == 0, result.err
    out = channel.root / "build" / "test-episode"
    description, script, references = ((out / n).read_text() for n in ("description.txt", "script.md", "references.txt"))
    assert description.count(text) >= 4  # summary, chapter, video, disclaimer
    assert script.count(text) >= 3  # title, heading, body
    assert text in references  # the inline entry's title
    preview = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert preview.code == 0 and text in preview.out
    assert "49" not in description + script and "xxx" not in description + script


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('id') }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range.__self__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ ''|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ episode.__class__.__init__.__globals__ }}",
    "{{ episode.model_config }}{{ episode.__dict__ }}",
    "{{ ''.format.__self__.__class__ }}",
    "{{ '{0.__class__}'.format('') }}",
    "{% set x = dict.__base__ %}{{ x }}",
    "{{ lipsum.__globals__ }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_channel_template_cannot_reach_python_internals(channel, run_cli, escape):
    channel.write("templates/description.txt.j2", "Start\n" + escape + "\n")
    result = run_cli("render", cwd=channel.root)
    no_crash(result)
    assert result.code == 1 and result.err.startswith("error: templates/description.txt.j2:2: "), result.err
    assert not (channel.root / "build").exists()


@pytest.mark.parametrize("setting", ["video: {outside}", "video: ../{name}", "video: link.mp4",
                                     "video: video.mp4, thumbnail: {outside_png}", "video: video.mp4, thumbnail: link.png"])
def test_an_episode_cannot_send_a_file_from_outside_its_channel(channel, run_cli, fake, youtube_env,
                                                                tmp_path_factory, setting):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    outside, outside_png = elsewhere / "private.mp4", elsewhere / "private.png"
    outside.write_bytes(os.urandom(2000))
    outside_png.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    (channel.root / "video.mp4").write_bytes(os.urandom(2000))
    (channel.root / "link.mp4").symlink_to(outside)
    (channel.root / "link.png").symlink_to(outside_png)
    shown = setting.format(outside=outside, outside_png=outside_png, name=f"{elsewhere.name}/private.mp4")
    if "../" in shown:
        shown = f"video: ../{elsewhere.name}/private.mp4"
        (channel.root.parent / elsewhere.name).exists() or pytest.skip("temp folders are not siblings")
    text = (channel.root / "episodes" / "test-episode.yaml").read_text()
    channel.episode("test-episode", text + f"upload: {{{shown}}}\n")
    for args in (["--dry-run"], ["--yes"]):
        result = run_cli("upload", "test-episode", *args, cwd=channel.root)
        no_crash(result)
        assert result.code == 1 and "is outside the channel folder" in result.err, result.err
    assert fake.requests == [] and fake.videos == {}
    if "thumbnail" not in setting:  # the same file given on the command line is the creator's choice
        given = run_cli("upload", "test-episode", "--video", str(outside), "--dry-run", cwd=channel.root)
        assert given.code == 0, given.err
