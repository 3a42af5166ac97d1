"""A channel can restyle its outputs with its own templates; mistakes fail loudly, never blank."""

from __future__ import annotations


def test_channel_template_overrides_the_packaged_default(channel, run_cli):
    channel.write("templates/description.txt.j2", "{{ episode.title }} | {{ schedule_line }}\n")
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0
    assert result.out == "A Test Episode | New every Wednesday at 9am. Subscribe: https://example.org/subscribe\n"
    script = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert script.out.startswith("# A Test Episode")  # the other templates still come from the package


def test_a_missing_value_in_a_template_is_an_error_with_its_line(channel, run_cli):
    channel.write("templates/description.txt.j2", "{{ episode.title }}\n{{ episode.sponsor }}\n")
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 1
    assert "description.txt.j2:2:" in result.err
    assert "sponsor" in result.err
    assert "Traceback" not in result.err


def test_a_template_syntax_error_names_file_and_line(channel, run_cli):
    channel.write("templates/references.txt.j2", "{% for x in references %}\n{{ x.text }\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "references.txt.j2:2: template syntax error" in result.err


def test_episode_text_is_data_never_a_template(channel, run_cli):
    channel.episode("test-episode", """\
        title: "Maths {{ 7 * 7 }}"
        summary:
          - "Literal {% raw %} and {{ channel.name }} stay as written."
        """)
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0
    assert "Literal {% raw %} and {{ channel.name }} stay as written." in result.out
    script = run_cli("preview", "test-episode", "--part", "script", cwd=channel.root)
    assert script.out.startswith("# Maths {{ 7 * 7 }}")


def test_disclaimer_can_be_inherited_replaced_or_left_out(channel, run_cli):
    inherited = run_cli("preview", "test-episode", cwd=channel.root).out
    assert "Education only, not medical advice." in inherited
    channel.episode("own", "title: T\nsummary: [x]\ndisclaimer: My own words.\n")
    assert "My own words." in run_cli("preview", "own", cwd=channel.root).out
    channel.episode("bare", "title: T\nsummary: [x]\ndisclaimer: none\n")
    bare = run_cli("preview", "bare", cwd=channel.root).out
    assert "Education only" not in bare and "none" not in bare
