"""A generated channel for benchmarks: N episodes, each citing K of R shared references.

    python benchmarks/channelgen.py FOLDER [--episodes 1000] [--references 300] [--cites 6]
                                          [--style vancouver|ama|apa]

Deterministic (the same arguments give the same bytes). Episode ``i`` cites ``K`` distinct
references chosen by ``random.Random(i)``, in its script (a cue per section) and again in
``citations``; every episode is ``schedule: next``. References have 1 to 9 authors, a month,
pages, a DOI or a PMID, so the styles' et-al, date and identifier rules are all exercised.
Standard library only; ``make_channel`` is what ``bench_render.py`` (and issue 13's table) call.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

CHANNEL = """\
name: Generated Channel
subscribe_url: https://example.org/subscribe
timezone: America/New_York
slots:
  - weekday: wednesday
    time: "09:00"
schedule_line: "New every {{slots}}. Subscribe: {{subscribe_url}}"
disclaimer: "Education only, not medical advice."
tags: [science]
citation_style: {style}
"""

FAMILIES = ["Kang", "Serafini", "Duman", "Brunoni", "Rush", "Nestler", "Malhi", "Voleti",
            "Lopes", "Fregni", "Castrén", "Monteggia", "Krishnan", "Russo", "Sanacora", "Zarate"]
JOURNALS = [("Nature Medicine", "Nat Med"), ("World Journal of Psychiatry", "World J Psychiatry"),
            ("Biological Psychiatry", "Biol Psychiatry"), ("Neuron", "Neuron"),
            ("The American Journal of Psychiatry", "Am J Psychiatry")]

EPISODE = """\
title: Generated episode {i} about circuits and mood
schedule: next
summary:
  - A first summary paragraph of generated episode {i}, long enough to look like a real one.
  - A second paragraph that says what the episode covers and why it matters to a viewer.
script:
{sections}
citations: [{keys}]
tags: [generated, episode{i}]
chapters: [{{at: "0:00", title: Intro}}, {{at: "1:00", title: Middle}}, {{at: "2:00", title: End}}]
"""


def reference(i: int) -> str:
    """The YAML of reference ``i`` (key ``refNNN``)."""
    rng = random.Random(f"ref{i}")
    authors = ", ".join(
        f"{{family: {rng.choice(FAMILIES)}{i % 7 or ''}, given: {chr(65 + rng.randrange(26))}. "
        f"{chr(65 + rng.randrange(26))}.}}"
        for _ in range(rng.randint(1, 9)))
    journal, short = rng.choice(JOURNALS)
    first = 100 + rng.randrange(1800)
    ident = f"DOI: 10.1000/generated.{i}" if i % 4 else f"PMID: '{30000000 + i}'"
    return (f"ref{i:03d}:\n  author: [{authors}]\n"
            f"  title: A generated study number {i} of neuroplasticity and mood\n"
            f"  container-title: {journal}\n  container-title-short: {short}\n"
            f"  issued: {{date-parts: [[{1990 + i % 35}, {1 + i % 12}]]}}\n"
            f"  volume: {1 + i % 60}\n  issue: {1 + i % 12}\n"
            f"  page: {first}-{first + rng.randint(3, 40)}\n  {ident}\n")


def cited(i: int, references: int, cites: int) -> list[str]:
    return [f"ref{n:03d}" for n in random.Random(i).sample(range(references), cites)]


def episode(i: int, keys: list[str]) -> str:
    sections = "\n".join(
        f"  - heading: Part {k}\n    body: Sentence {k} of the script with a cue [@{key}]."
        " More words follow to make a realistic paragraph of spoken text."
        for k, key in enumerate(keys))
    return EPISODE.format(i=i, sections=sections, keys=", ".join(keys))


def make_channel(folder: Path, episodes: int = 1000, references: int = 300, cites: int = 6,
                 style: str = "vancouver") -> Path:
    """Write the channel into ``folder`` (created); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "channel.yaml").write_text(CHANNEL.format(style=style), encoding="utf-8")
    library = "".join(reference(i) for i in range(references))
    (folder / "references.yaml").write_text(library, encoding="utf-8")
    (folder / "episodes").mkdir(exist_ok=True)
    for i in range(episodes):
        text = episode(i, cited(i, references, cites))
        (folder / "episodes" / f"episode-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--episodes", type=int, default=1000)
    parser.add_argument("--references", type=int, default=300)
    parser.add_argument("--cites", type=int, default=6)
    parser.add_argument("--style", default="vancouver", choices=["vancouver", "ama", "apa"])
    args = parser.parse_args()
    make_channel(args.folder, args.episodes, args.references, args.cites, args.style)
    print(f"{args.folder}: {args.episodes} episodes citing {args.cites} of {args.references} references")


if __name__ == "__main__":
    main()
