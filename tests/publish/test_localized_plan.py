"""The sync plan of a video's localizations: each language compared with what was last sent, the whole
map written back with only episodekit's changes."""

from __future__ import annotations

from episodekit.models.ledger import SentHashes
from episodekit.publish.localized import map_to_send, plan_languages, recorded_after

PT = {"title": "Sono", "description": "Notas"}
ES = {"title": "Sueño", "description": "Notas"}


def sent(**languages) -> SentHashes:
    return SentHashes.of({"title": "T", "description": "D", "tags": [], "localizations": {
        code.replace("_", "-"): text for code, text in languages.items()}})


def test_a_language_as_sent_is_unchanged_and_a_new_one_is_added():
    changes, drift = plan_languages({"pt-BR": PT, "es": ES}, {"pt-BR": PT}, sent(pt_BR=PT), force=False)
    assert changes == {"localizations.es": (None, ES)} and drift == {}
    assert map_to_send({"pt-BR": PT}, changes) == {"pt-BR": PT, "es": ES}


def test_our_changed_text_is_sent_and_a_studio_edit_is_drift_until_force():
    new = {**PT, "description": "Notas novas"}
    changes, drift = plan_languages({"pt-BR": new}, {"pt-BR": PT}, sent(pt_BR=PT), force=False)
    assert changes == {"localizations.pt-BR": (PT, new)} and not drift
    edited = {**PT, "title": "Sono (editado)"}
    changes, drift = plan_languages({"pt-BR": new}, {"pt-BR": edited}, sent(pt_BR=PT), force=False)
    assert not changes and drift == {"localizations.pt-BR": (edited, new)}
    changes, _ = plan_languages({"pt-BR": new}, {"pt-BR": edited}, sent(pt_BR=PT), force=True)
    assert changes == {"localizations.pt-BR": (edited, new)}


def test_a_language_added_in_studio_is_kept_and_one_the_episode_dropped_is_deleted():
    live = {"pt-BR": PT, "es": ES}
    changes, drift = plan_languages({}, live, sent(pt_BR=PT), force=False)
    assert changes == {"localizations.pt-BR": (PT, None)} and drift == {"localizations.es": (ES, None)}
    assert map_to_send(live, changes) == {"es": ES}
    assert recorded_after(sent(pt_BR=PT), sent(), changes, drift) == {}
    changes, drift = plan_languages({}, live, sent(pt_BR=PT), force=True)
    assert set(changes) == {"localizations.pt-BR", "localizations.es"} and map_to_send(live, changes) == {}


def test_the_ledger_keeps_the_old_record_of_a_language_left_as_drift():
    old, fresh = sent(pt_BR=PT), sent(pt_BR={**PT, "title": "Novo"})
    drift = {"localizations.pt-BR": ({**PT, "title": "Studio"}, {**PT, "title": "Novo"})}
    assert recorded_after(old, fresh, {}, drift) == old.localizations
    assert recorded_after(old, fresh, {"localizations.pt-BR": drift["localizations.pt-BR"]}, {}) == fresh.localizations
