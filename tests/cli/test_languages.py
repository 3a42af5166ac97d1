"""A channel in two languages, from the user's side: the sample's what-causes-depression has a Brazilian
Portuguese localization. It checks, renders, previews and uploads with both languages against the fake
YouTube; a changed Portuguese summary updates that one video's localizations and nothing else; a
language added in YouTube Studio survives sync (reported as drift) until --force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from testkit import copy_sample

SLUG = "what-causes-depression"
PT_SUMMARY = "Durante décadas, a depressão foi explicada"


def sample(folder: Path) -> Path:
    return copy_sample(folder)


def video_of(root: Path, slug: str = SLUG) -> str:
    from episodekit.workspace import Workspace

    video_id = Workspace.open(root).ledger.video_id(slug)
    assert video_id
    return video_id


def updates(fake) -> list[dict]:
    return [r for r in fake.requests if r["op"] == "videos.update"]


def test_a_two_language_episode_checks_renders_and_previews_in_both(tmp_path, run_cli):
    root = sample(tmp_path)
    assert run_cli("check", cwd=root).code == 0
    assert run_cli("render", cwd=root).code == 0
    built = root / "build" / SLUG
    portuguese = (built / "description.pt-BR.txt").read_text(encoding="utf-8")
    assert portuguese.startswith(PT_SUMMARY) and "\nCapítulos\n0:00 A ideia do desequilíbrio químico\n" in portuguese
    assert "toda quarta-feira às 9h" in portuguese and "\nReferências\n1. André RB" in portuguese
    assert (built / "script.pt-BR.md").is_file() and (built / "captions.pt-BR.vtt").read_text().startswith(
        "WEBVTT\nLanguage: pt-BR")
    shown = run_cli("preview", SLUG, "--lang", "pt-BR", cwd=root)
    assert shown.code == 0 and shown.out == portuguese and "title: 61 of 100 characters" in shown.err
    assert run_cli("preview", SLUG, cwd=root).out == (built / "description.txt").read_text(encoding="utf-8")
    missing = run_cli("preview", SLUG, "--lang", "fr", cwd=root)
    assert missing.code == 2 and "no localization 'fr'; its languages are en (its own), pt-BR" in missing.err

    assert run_cli("preview", SLUG, "--html", "--lang", "pt-BR", cwd=root).code == 0
    page = (built / "watch.pt-BR.html").read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in page and '<a href="watch.html" hreflang="en"' in page
    assert 'aria-current="page" lang="pt-BR"' in (built / "watch.pt-BR.html").read_text(encoding="utf-8")
    assert '<a href="watch.pt-BR.html" hreflang="pt-BR"' in (built / "watch.html").read_text(encoding="utf-8")


def test_check_finds_a_problem_of_the_second_language_at_its_line(tmp_path, run_cli):
    root = sample(tmp_path)
    path = root / "episodes" / f"{SLUG}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    title: O que causa a depressão?", "    title: O que causa a <depressão>?"),
                    encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "<depressão>" in row)
    result = run_cli("check", cwd=root)
    assert result.code == 1
    assert f"episodes/{SLUG}.yaml:{line}: localizations.pt-BR.title: may not contain '<' or '>'" in result.err
    assert not (root / "build").exists()


def test_upload_sends_both_languages_and_the_ledger_hashes_each(published, fake):
    from episodekit.workspace import Workspace

    video = fake.videos[video_of(published)]
    portuguese = fake.videos[video_of(published)]["localizations"]["pt-BR"]
    assert video["snippet"]["defaultLanguage"] == "en"
    assert portuguese["title"] == "O que causa a depressão? Mais do que um desequilíbrio químico"
    assert portuguese["description"].startswith(PT_SUMMARY) and not portuguese["description"].endswith("\n")
    insert = next(r for r in fake.requests if r["op"] == "videos.insert")
    assert insert["query"]["part"] == "snippet,status,localizations"
    entry = Workspace.open(published).ledger.episodes[SLUG]
    assert set(entry.sent.localizations) == {"pt-BR"}
    assert "localizations" not in fake.videos[video_of(published, "depression-feedback-loop")]


def test_the_dry_run_of_an_upload_shows_the_localizations(tmp_path, run_cli):
    root = sample(tmp_path)
    (root / "video.mp4").write_bytes(b"\0" * 1000)
    result = run_cli("upload", SLUG, "--video", "video.mp4", "--dry-run", "--json", cwd=root)
    assert result.code == 0, result.err
    request = next(r for r in json.loads(result.out)["requests"] if r["call"] == "videos.insert")
    assert "part=snippet%2Cstatus%2Clocalizations" in request["url"]
    assert request["body"]["snippet"]["defaultLanguage"] == "en"
    assert request["body"]["localizations"]["pt-BR"]["description"].startswith(PT_SUMMARY)


def test_a_changed_portuguese_summary_updates_that_videos_localizations_and_nothing_else(published, fake, run_cli):
    video_id, other = video_of(published), video_of(published, "depression-feedback-loop")
    before = json.loads(json.dumps(fake.videos))
    path = published / "episodes" / f"{SLUG}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PT_SUMMARY, "Por décadas, a depressão foi explicada"),
                    encoding="utf-8")
    assert "stale: episode file" in run_cli("status", cwd=published).out

    planned = run_cli("sync", "--dry-run", cwd=published)
    assert f"{video_id}  update  localizations.pt-BR" in planned.out
    assert "quota: 1 for the channel check + 1 videos.list call(s) + 50 units for 1 update(s) = 52 units" in planned.out
    assert "+Por décadas, a depressão foi explicada" in planned.out
    assert not updates(fake)

    assert run_cli("sync", "--yes", cwd=published).code == 0
    [update] = updates(fake)
    assert update["query"]["part"] == "localizations" and set(update["body"]) == {"id", "localizations"}
    after = fake.videos[video_id]
    assert after["localizations"]["pt-BR"]["description"].startswith("Por décadas")
    assert after["localizations"]["pt-BR"]["title"] == before[video_id]["localizations"]["pt-BR"]["title"]
    assert after["snippet"] == before[video_id]["snippet"] and fake.videos[other] == before[other]
    assert "up to date" in run_cli("status", cwd=published).out
    assert "0 update" in run_cli("sync", "--dry-run", cwd=published).out


def test_a_language_added_in_studio_survives_sync_until_force(published, fake, run_cli):
    video_id = video_of(published)
    studio = {"title": "¿Qué causa la depresión?", "description": "Escrito en YouTube Studio."}
    fake.videos[video_id]["localizations"]["es"] = studio  # as YouTube Studio adds a language
    path = published / "episodes" / f"{SLUG}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(PT_SUMMARY, "Por décadas, a depressão"),
                    encoding="utf-8")

    assert run_cli("sync", "--yes", cwd=published).code == 0
    [update] = updates(fake)
    assert update["body"]["localizations"]["es"] == studio  # read, modified, written back whole
    assert fake.videos[video_id]["localizations"]["es"] == studio
    assert fake.videos[video_id]["localizations"]["pt-BR"]["description"].startswith("Por décadas")

    again = run_cli("sync", "--dry-run", cwd=published)
    assert f"{video_id}  drift  localizations.es (drift)" in again.out
    assert "edited in YouTube Studio since the last sync: localizations.es; kept" in again.out
    assert run_cli("sync", "--yes", cwd=published).code == 0 and len(updates(fake)) == 1

    assert run_cli("sync", "--yes", "--force", cwd=published).code == 0
    assert "es" not in fake.videos[video_id]["localizations"] and len(updates(fake)) == 2
    backups = sorted((published / "backups").glob(f"*/{video_id}.json"))
    assert json.loads(backups[-1].read_text(encoding="utf-8"))["localizations"]["es"] == studio


def fresh_channel(folder: Path, published: Path) -> Path:
    """The sample channel's settings and library without its episodes or ledger: where an import lands."""
    folder.mkdir()
    for name in ("channel.yaml", "references.yaml"):
        shutil.copy(published / name, folder / name)
    (folder / "episodes").mkdir()
    return folder


def test_import_brings_the_localizations_in_and_renders_them_back_exactly(published, fake, tmp_path, run_cli):
    video_id = video_of(published)
    studio = {"title": "¿Qué causa la depresión?", "description": "Escrito a mano.\n\nCon su propia forma."}
    fake.videos[video_id]["localizations"]["es"] = studio  # a language the channel has no text for
    root = fresh_channel(tmp_path / "imported", published)
    result = run_cli("import", "--video", video_id, "--no-lookup", cwd=root)
    assert result.code == 0, result.err
    assert f"{video_id}: es: kept as typed" in result.out + result.err
    [path] = (root / "episodes").glob("*.yaml")
    from episodekit.workspace import Workspace

    episode = Workspace.open(root).load(path).model
    portuguese = episode.localizations["pt-BR"]
    assert portuguese.summary[0].startswith(PT_SUMMARY) and portuguese.description is None  # read as the channel writes it
    assert portuguese.chapters == ["A ideia do desequilíbrio químico",
                                   "Neuroplasticidade: circuitos, não só substâncias químicas",
                                   "O que isso significa para o tratamento"]
    assert "localizations:\n  pt-BR:\n    title: O que causa a depressão?" in path.read_text(encoding="utf-8")
    assert episode.localizations["es"].description == studio["description"]

    assert run_cli("render", cwd=root).code == 0
    built = root / "build" / path.stem
    live = fake.videos[video_id]["localizations"]
    for language in ("pt-BR", "es"):
        assert (built / f"description.{language}.txt").read_text(encoding="utf-8") == live[language]["description"] + "\n"
    assert "up to date" in run_cli("status", cwd=root).out
    assert "0 update, 1 unchanged" in run_cli("sync", "--dry-run", cwd=root).out


def test_an_import_typed_in_its_own_shape_reads_a_localization_in_the_channels_shape(channel, fake, youtube_env,
                                                                                       run_cli):
    from tests.cli.test_import_shapes import CHAPTERS_FIRST
    from tests.conftest import CHANNEL_YAML
    from tests.pipeline.test_localize import PORTUGUESE

    channel.write("channel.yaml", CHANNEL_YAML + PORTUGUESE)
    typed = CHAPTERS_FIRST.split("\n")[8:10]  # the references as typed: the same in every language
    portuguese = ("O sono arquiva o dia.\n\nCapítulos\n0:00 Introdução\n1:12 O que uma noite de sono faz\n"
                  "4:40 O teste de memória\n9:05 O que tentar hoje à noite\n\nReferências\n" + "\n".join(typed)
                  + "\n\nNovo toda quarta-feira às 9h. Inscreva-se: https://example.org/subscribe")
    spanish = CHAPTERS_FIRST.replace("Sources:", "Fuentes:").replace("Thanks for watching!", "¡Gracias!")
    video_id = fake.add_video(
        snippet={"title": "Sleep and memory", "description": CHAPTERS_FIRST, "defaultLanguage": "en",
                 "tags": ["science"]},
        status={"privacyStatus": "public"},
        localizations={"pt-BR": {"title": "Sono e memória", "description": portuguese},
                       "es": {"title": "Sueño y memoria", "description": spanish}})

    planned = run_cli("import", "--video", video_id, "--no-lookup", "--dry-run", "--json", cwd=channel.root)
    assert planned.code == 0, planned.err
    assert json.loads(planned.out)["episodes"][0]["localizations"] == {"pt-BR": "read", "es": "as typed"}
    result = run_cli("import", "--video", video_id, "--no-lookup", cwd=channel.root)
    assert result.code == 0, result.err
    assert f"{video_id}: es: kept as typed" in result.out + result.err
    [path] = [p for p in (channel.root / "episodes").glob("*.yaml") if p.stem != "test-episode"]
    episode = yaml_of(path)
    assert episode["layout"][:3] == [{"chapters": ""}, "summary", {"references": "Sources:"}]  # the English shape
    assert episode["localizations"]["pt-BR"] == {
        "title": "Sono e memória", "summary": ["O sono arquiva o dia."],
        "chapters": ["Introdução", "O que uma noite de sono faz", "O teste de memória", "O que tentar hoje à noite"],
        "disclaimer": "none"}  # the English shape has none either; the channel's Portuguese one is not there
    assert episode["localizations"]["es"] == {"title": "Sueño y memoria", "description": spanish}

    assert run_cli("render", cwd=channel.root).code == 0
    built = channel.root / "build" / path.stem
    assert (built / "description.txt").read_text(encoding="utf-8") == CHAPTERS_FIRST + "\n"
    for language, live in (("pt-BR", portuguese), ("es", spanish)):
        assert (built / f"description.{language}.txt").read_text(encoding="utf-8") == live + "\n"
    synced = run_cli("sync", "--dry-run", cwd=channel.root)
    assert "0 update, 1 unchanged" in synced.out, synced.out


def yaml_of(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))
