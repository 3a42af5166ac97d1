"""Why a live description differs from the render: named when only its references block differs."""

from __future__ import annotations

from episodekit.publish.difference import description_causes

BLOCK = "1. Kang HJ, et al. Synapses in depression. Nat Med. 2012;18(9):1413-7."
NEW = f"A summary.\n\nReferences\n{BLOCK}\n\nNot medical advice.\n\nNew videos every Wednesday."
TYPED = "Kang et al (2012), Synapses in depression, Nature Medicine 18:1413"


def test_references_typed_another_way_are_named_as_the_citation_style():
    live = NEW.replace(BLOCK, TYPED)
    assert description_causes(live, NEW, BLOCK, "vancouver") == [
        "the references, in the channel's citation style (vancouver)"]


def test_a_heading_in_other_words_is_named_too_and_extra_typed_lines_stay_in_the_block():
    live = NEW.replace("References\n" + BLOCK, "Studies mentioned:\n" + TYPED + "\n" + TYPED)
    assert description_causes(live, NEW, BLOCK, "apa") == [
        "the references, in the channel's citation style (apa)", "the references heading, in the channel's wording"]
    assert description_causes(NEW.replace("References", "Sources"), NEW, BLOCK, "apa") == [
        "the references heading, in the channel's wording"]


def test_any_other_difference_names_no_cause():
    assert description_causes(NEW, NEW, BLOCK, "vancouver") == []
    for live in (NEW.replace("A summary.", "Another summary.").replace(BLOCK, TYPED),
                 NEW.replace("Wednesday", "Friday"),
                 NEW.replace("References\n" + BLOCK + "\n\n", ""),
                 NEW.replace("\n\nReferences", "\n\nAn extra paragraph.\n\nReferences")):
        assert description_causes(live, NEW, BLOCK, "vancouver") == [], live
    assert description_causes(NEW.replace(BLOCK, TYPED), NEW.replace(f"References\n{BLOCK}\n\n", ""), "", "x") == []
