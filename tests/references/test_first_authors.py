"""A typed citation that ends its authors with "et al." never makes an incomplete entry look complete."""

from __future__ import annotations

from episodekit.references.merge import differences, merged
from episodekit.references.normalise import normalise_record

KANG = [{"family": "Kang", "given": "H. J."}, {"family": "Voleti", "given": "B."}, {"family": "Hajszan", "given": "T."}]
MORE = [{"family": "Rajkowska", "given": "G."}, {"family": "Stockmeier", "given": "C. A."},
        {"family": "Licznerski", "given": "P."}]
ENTRY = {"author": KANG, "authors-incomplete": True, "title": "Decreased expression of synapse-related genes"}


def typed(*authors):
    """What import reads from a typed citation ending in 'et al.', through the one normalisation."""
    return normalise_record({"author": list(authors), "authors-incomplete": True,
                             "title": "Decreased expression of synapse-related genes"})


def test_the_same_first_authors_change_nothing_and_the_entry_stays_incomplete():
    record = typed(*KANG)
    assert record["authors-incomplete"] is True
    assert differences(ENTRY, record) == []


def test_more_first_authors_are_added_and_the_entry_still_says_et_al():
    changes = differences(ENTRY, typed(*KANG, *MORE))
    assert [(c.field, c.kind) for c in changes] == [("author", "added")]
    result = merged(ENTRY, changes, replace=False)
    assert result["author"] == KANG + MORE and result["authors-incomplete"] is True


def test_a_complete_entry_is_not_shortened_by_first_authors():
    complete = {"author": KANG + MORE, "title": ENTRY["title"]}
    assert differences(complete, typed(*KANG)) == []


def test_a_complete_record_still_completes_an_incomplete_entry():
    record = normalise_record({"author": KANG + MORE, "title": ENTRY["title"]})
    result = merged(ENTRY, differences(ENTRY, record), replace=False)
    assert result["author"] == KANG + MORE and "authors-incomplete" not in result
