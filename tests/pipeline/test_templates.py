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


# --- a channel template runs sandboxed ---------------------------------------


def test_a_template_that_reaches_for_the_shell_is_refused_and_runs_nothing(channel, run_cli):
    marker = channel.root / "pwned"
    channel.write(
        "templates/description.txt.j2",
        "{{ episode.title }}\n{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}\n",
    )
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 1
    assert not marker.exists()
    [line] = result.err.splitlines()
    assert line.startswith("error: templates/description.txt.j2:2: ")
    assert "unsafe" in line and "Traceback" not in result.err


def test_a_template_may_not_read_python_internals_through_any_object(channel, run_cli):
    channel.write("templates/script.md.j2", "{{ episode.title.__class__.__mro__[1].__subclasses__() }}\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    assert "templates/script.md.j2:1: " in result.err and "unsafe" in result.err
    assert "subclasses" not in result.out


def test_a_template_linked_to_a_file_outside_templates_is_refused(channel, run_cli):
    secret = channel.write("notes/private.txt", "my private notes\n")
    (channel.root / "templates").mkdir()
    (channel.root / "templates" / "description.txt.j2").symlink_to(secret)
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 1
    assert "my private notes" not in result.out + result.err
    [line] = result.err.splitlines()
    assert line.startswith("error: templates/description.txt.j2: ")
    assert "outside templates/" in line


def test_a_link_from_one_template_to_another_inside_templates_is_fine(channel, run_cli):
    channel.write("templates/shared.j2", "{{ episode.title }} (shared)\n")
    (channel.root / "templates" / "description.txt.j2").symlink_to("shared.j2")
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0, result.err
    assert result.out == "A Test Episode (shared)\n"


def test_a_template_link_that_leads_nowhere_is_a_clear_error(channel, run_cli):
    (channel.root / "templates").mkdir()
    (channel.root / "templates" / "description.txt.j2").symlink_to(channel.root / "gone.j2")
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 1
    assert result.err.startswith("error: templates/description.txt.j2: ")
    assert "internal error" not in result.err


# --- a template's own mistakes are one line at the template's line ------------


def test_a_template_dividing_by_zero_names_its_line(channel, run_cli):
    channel.write("templates/script.md.j2", "# {{ episode.title }}\n{{ words / 0 }}\n")
    result = run_cli("check", cwd=channel.root)
    assert result.code == 1
    [line] = [line for line in result.err.splitlines() if line]
    assert line.startswith("error: templates/script.md.j2:2: ") and "division by zero" in line


def test_a_template_that_includes_itself_is_one_clear_line(channel, run_cli):
    channel.write("templates/references.txt.j2", "{{ references | length }}\n{% include 'references.txt.j2' %}\n")
    result = run_cli("render", cwd=channel.root)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith("error: templates/references.txt.j2:2: ")
    assert "includes itself" in line
    assert not (channel.root / "build").exists()
