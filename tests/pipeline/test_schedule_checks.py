"""`check` catches schedule mistakes in the files a creator actually writes."""

from __future__ import annotations


def test_two_episodes_in_one_slot_is_an_error_naming_both(channel, run_cli):
    channel.episode("test-episode", "title: A\nschedule: '2030-01-02 09:00'\nsummary: [x]\n")
    channel.episode("other", "title: B\nschedule: '2030-01-02 09:00'\nsummary: [x]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "schedule:" in line]
    assert any(line.startswith("episodes/other.yaml:2: schedule:") and "test-episode" in line for line in lines)
    assert any(line.startswith("episodes/test-episode.yaml:2: schedule:") and "other" in line for line in lines)


def test_a_time_skipped_by_daylight_saving_is_an_error_not_a_shift(channel, run_cli):
    channel.episode("test-episode", "title: A\nschedule: '2030-03-10 02:30'\nextra: true\nsummary: [x]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "episodes/test-episode.yaml:2: schedule:" in result.err
    assert "does not exist" in result.err


def test_an_off_slot_time_is_a_warning_unless_extra(channel, run_cli):
    channel.episode("test-episode", "title: A\nschedule: '2030-01-03 17:00'\nsummary: [x]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0
    assert "warning: schedule:" in result.err
    channel.episode("test-episode", "title: A\nschedule: '2030-01-03 17:00'\nextra: true\nsummary: [x]\n")
    assert "warning: schedule" not in run_cli("check", cwd=channel.root).err


def test_linking_to_an_episode_released_later_is_an_error(channel, run_cli):
    channel.episode("early", "title: A\nschedule: '2030-01-02 09:00'\nsummary: [x]\nvideos: [{episode: late}]\n")
    channel.episode("late", "title: B\nschedule: '2030-01-09 09:00'\nsummary: [x]\n")
    result = run_cli("check", "episodes/early.yaml", cwd=channel.root)
    assert result.code == 1
    assert "episodes/early.yaml:2: schedule:" in result.err and "late" in result.err


def test_a_past_time_for_an_episode_not_uploaded_is_a_warning(channel, run_cli):
    channel.episode("test-episode", "title: A\nschedule: '2020-01-01 09:00'\nsummary: [x]\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 0
    assert "warning: schedule:" in result.err


def test_changing_the_slot_changes_the_schedule_sentence(channel, run_cli):
    text = (channel.root / "channel.yaml").read_text().replace("wednesday", "friday").replace('"09:00"', '"17:30"')
    channel.write("channel.yaml", text)
    out = run_cli("preview", "test-episode", cwd=channel.root).out
    assert "New every Friday at 5:30pm." in out
