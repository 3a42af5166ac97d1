"""A Zotero-like library of N items, written as Zotero exports it: CSL JSON and BibTeX.

    python benchmarks/librarygen.py OUT_FOLDER [--items N] [--seed S]

writes ``OUT_FOLDER/library.json`` (File > Export Library > CSL JSON) and ``OUT_FOLDER/library.bib``
(the BibTeX export) describing the same N works. The items are shaped like a real research
library, not like a minimal test record: an abstract on most items (Zotero exports it), ISSN,
language, access date, Zotero's item URL as the id; 1 to 12 authors (a few consortium papers with
40), accented and particle names (``van der Berg``), an organisation now and then; most items
journal articles, the rest books, chapters, conference papers, reports, theses and web pages; a
DOI on most, a PMID on some. The BibTeX side writes what Zotero's exporter writes: LaTeX accents
(``{\\'e}``), escaped ``\\&`` and ``\\%``, ``{DNA}`` to keep letter case, ``--`` in pages, month
macros (``sep``); and, as BibLaTeX has them, ``shortjournal`` and ``@online``. Standard library only;
the same seed gives the same files, and both describe the same works (``refs import`` of either gives
the same library).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

FAMILY = ["Kang", "Voleti", "Hajszan", "Rajkowska", "Stockmeier", "Licznerski", "Duman", "Serafini",
          "Brunoni", "Lopes", "Fregni", "Müller", "Søndergaard", "Nuñez", "Østergaard", "Wang", "Li",
          "Zhang", "Nakamura", "Okafor", "García", "Öztürk", "Kowalczyk", "Dubois", "Rossi", "Smith",
          "Johnson", "Brown", "Taylor", "Wilson", "Martin", "Andersson", "Nieminen", "Papadopoulos"]
PARTICLE = ["van der", "de", "von", "van", "da", "di", "le"]
GIVEN = ["Hyo Jung", "Bhavya", "Tibor", "Grazyna", "Craig A.", "Pawel", "Ronald S.", "Gianluca",
         "André Russowsky", "Mariana", "Felipe", "Jürgen", "Aoife", "José", "Zoë", "Wei", "Mei",
         "Hiroshi", "Chinedu", "María José", "Ayşe", "Łukasz", "Hélène", "Giulia", "J.", "K. L."]
ORGS = ["World Health Organization", "GBD 2019 Mental Disorders Collaborators",
        "National Institute for Health and Care Excellence", "Cochrane Depression Group"]
WORDS = ("synaptic plasticity depression brain-derived neurotrophic factor ketamine hippocampus "
         "cortex stress inflammation cohort randomized trial meta-analysis systematic review "
         "expression genes serotonin dopamine sleep mood adolescents older adults mice rats "
         "neurons glia microglia imaging connectivity outcomes treatment resistant response").split()
JOURNALS = [("Nature Medicine", "Nat Med", "1546-170X"), ("Neuroscience Letters", "Neurosci Lett", "0304-3940"),
            ("World Journal of Psychiatry", "World J Psychiatry", "2220-3206"),
            ("International Journal of Neuropsychopharmacology", "Int J Neuropsychopharmacol", "1461-1457"),
            ("Biological Psychiatry", "Biol Psychiatry", "0006-3223"),
            ("The Lancet Psychiatry", "Lancet Psychiatry", "2215-0366"),
            ("Journal of Affective Disorders", "J Affect Disord", "0165-0327"),
            ("Molecular Psychiatry", "Mol Psychiatry", "1359-4184")]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
KINDS = [("article-journal", 80), ("book", 4), ("chapter", 5), ("paper-conference", 5), ("report", 2),
         ("thesis", 2), ("webpage", 2)]
BIB_TYPE = {"article-journal": "article", "book": "book", "chapter": "incollection",
            "paper-conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
            "webpage": "online"}
LATEX = {"é": "{\\'e}", "ü": '{\\"u}', "ø": "{\\o}", "ñ": "{\\~n}", "Ø": "{\\O}", "á": "{\\'a}",
         "ö": '{\\"o}', "Ö": '{\\"O}', "ë": '{\\"e}', "ç": "{\\c c}", "ş": "{\\c s}", "Ł": "{\\L}",
         "ó": "{\\'o}", "í": "{\\'i}", "è": "{\\`e}", "&": "\\&", "%": "\\%"}


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _person(rng: random.Random) -> dict[str, str]:
    if rng.random() < 0.02:
        return {"literal": rng.choice(ORGS)}
    family = rng.choice(FAMILY)
    if rng.random() < 0.05:
        return {"family": family, "given": rng.choice(GIVEN), "non-dropping-particle": rng.choice(PARTICLE)}
    return {"family": family, "given": rng.choice(GIVEN)}


def make_item(rng: random.Random, number: int) -> dict[str, Any]:
    """One CSL JSON item as Zotero exports it."""
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    authors = rng.choice([1, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12]) if rng.random() > 0.01 else 40
    year = rng.randint(1970, 2026)
    title = f"{_words(rng, 6, 18).capitalize()}: study {number} of {rng.choice(WORDS)} & DNA mood"
    item: dict[str, Any] = {
        "id": f"http://zotero.org/users/1234567/items/{number:08X}", "type": kind, "title": title,
        "author": [_person(rng) for _ in range(authors)],
        "issued": {"date-parts": [[str(year), rng.randint(1, 12)] if rng.random() < 0.7 else [str(year)]]},
        "accessed": {"date-parts": [["2024", rng.randint(1, 12), rng.randint(1, 28)]]},
        "language": "en", "source": "PubMed",
    }
    if rng.random() < 0.8:
        item["abstract"] = _words(rng, 120, 260).capitalize() + "."
    if kind == "article-journal":
        journal, short, issn = rng.choice(JOURNALS)
        first = rng.randint(1, 3000)
        item.update({"container-title": journal, "journalAbbreviation": short, "ISSN": issn,
                     "volume": str(rng.randint(1, 80)), "issue": str(rng.randint(1, 12)),
                     "page": f"{first}-{first + rng.randint(3, 20)}"})
    elif kind in ("chapter", "paper-conference"):
        item.update({"container-title": f"Proceedings of the {rng.randint(1, 40)}th meeting on {_words(rng, 2, 4)}",
                     "publisher": "Springer", "publisher-place": "Cham", "page": f"{rng.randint(1, 400)}-{rng.randint(401, 420)}"})
    elif kind in ("book", "report", "thesis"):
        item.update({"publisher": rng.choice(["Oxford University Press", "WHO", "University of Oslo"]),
                     "number-of-pages": str(rng.randint(80, 600))})
    else:
        item["URL"] = f"https://example.org/{number}/page_{rng.randint(1, 99)}~x?a=1%20b"
    if rng.random() < 0.85 and kind != "webpage":
        item["DOI"] = f"10.{rng.randint(1000, 9999)}/s{number}.{rng.randint(100, 999)}"
        item["URL"] = f"https://doi.org/{item['DOI']}"
    if rng.random() < 0.4 and kind == "article-journal":
        item["PMID"] = str(10_000_000 + number)
    return item


def _latex(text: str) -> str:
    return "".join(LATEX.get(c, c) for c in text)


def _bib_name(person: dict[str, str]) -> str:
    if "literal" in person:
        return "{" + _latex(person["literal"]) + "}"
    family = " ".join(filter(None, [person.get("non-dropping-particle"), person["family"]]))
    return f"{_latex(family)}, {_latex(person['given'])}"


def bibtex_entry(item: dict[str, Any], number: int) -> str:
    """The item as Zotero's BibTeX export writes it."""
    parts = item["issued"]["date-parts"][0]
    fields = [("title", "{" + _latex(item["title"]).replace("DNA", "{DNA}") + "}")]
    for name, field in (("volume", "volume"), ("issue", "number"), ("ISSN", "issn"), ("URL", "url"),
                        ("DOI", "doi"), ("abstract", "abstract"), ("language", "language"),
                        ("container-title", "journal" if item["type"] == "article-journal" else "booktitle"),
                        ("journalAbbreviation", "shortjournal"),
                        ("publisher", "publisher"), ("PMID", "pmid")):
        if name in item:
            value = item[name] if name in ("URL", "DOI") else _latex(item[name])
            fields.append((field, "{" + value + "}"))
    fields.append(("author", "{" + " and ".join(map(_bib_name, item["author"])) + "}"))
    if len(parts) > 1:
        fields.append(("month", MONTHS[parts[1] - 1]))
    fields.append(("year", "{" + parts[0] + "}"))
    if "page" in item:
        fields.append(("pages", "{" + item["page"].replace("-", "--") + "}"))
    fields.append(("urldate", "{2024-01-01}"))
    body = ",\n".join(f"\t{name} = {value}" for name, value in fields)
    return f"@{BIB_TYPE[item['type']]}{{item{number:06d},\n{body}\n}}\n"


def write_library(folder: Path, items: int, seed: int = 20) -> tuple[Path, Path]:
    """Write ``library.json`` and ``library.bib`` of ``items`` works into ``folder``; their paths."""
    rng = random.Random(seed)
    made = [make_item(rng, number) for number in range(items)]
    folder.mkdir(parents=True, exist_ok=True)
    csl, bib = folder / "library.json", folder / "library.bib"
    csl.write_text(json.dumps(made, indent="\t", ensure_ascii=False), encoding="utf-8")
    bib.write_text("\n".join(bibtex_entry(item, n) for n, item in enumerate(made)), encoding="utf-8")
    return csl, bib


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    csl, bib = write_library(args.folder, args.items, args.seed)
    print(f"{args.items} items: {csl} ({csl.stat().st_size:,} bytes), {bib} ({bib.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
