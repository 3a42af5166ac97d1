"""A hostile channel template cannot take the machine down: what it asks to compute is bounded, and
every way it fails is one line, `templates/NAME:LINE: what is wrong`, exit 1."""

from __future__ import annotations

import pytest

HOSTILE = [
    ('{{ "a" * 100000000000 }}', 1, "would be 100,000,000,000 characters long; a template may make at most"),
    ("{{ [0] * 10000000000 }}", 1, "would be 10,000,000,000 items long"),
    ("x\n{{ 2 ** 100000 }}", 2, "the number made by ** would be 100,001 bits long"),
    ("{{ (10 ** 3000) * (10 ** 3000) }}", 1, "the number made by * would be"),
    ("{{ 2.0 ** 10000 }}", 1, "a number in the template is too large"),
    ("x\n{{ lipsum(n=10000000)|length }}", 2, "'lipsum' is undefined"),
    ('{% set ns = namespace(s="ab") %}\n{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}', 2,
     "the text made by ~ would be"),
    ('{% set ns = namespace(s="ab") %}\n{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}', 2,
     "the result of + would be"),
    ("{% set l = [1] %}{% for i in range(64) %}{{ l.extend(l) or '' }}{% endfor %}", 1,
     "the list changed by extend() would be"),
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", 1,
     "the template takes more than 50,000 steps"),
    ("{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}\n{{ f(40) }}", 1,
     "the template takes more than 50,000 steps"),
    ('{{ "a"|center(1000000000) }}', 1, "the filter center is given 1,000,000,000"),
    ('{{ "a".ljust(1000000000) }}', 1, "ljust() is given 1,000,000,000"),
    ('{{ "%0999999999d" % 1 }}', 1, "asks for a width of 0999999999"),
    ('{{ "{:>999999999}".format(1) }}', 1, "asks for a width of 999999999"),
    ('{{ "{:>{w}}".format(1, w=999999999) }}', 1, "is given 999,999,999"),
    ('{% set s = "a" * 1000000 %}{{ s|replace("a", s)|length }}', 1, "the text made by replace would be"),
    ('{% set s = "a" * 1000000 %}{{ ([s] * 100000)|join|length }}', 1, "the text made by join would be"),
    ('{% set s = "a" * 1000000 %}{{ [s] * 100000 }}', 1, "the printed value would be"),
    ('{% set s = "a" * 1000000 %}\n{% for i in range(100000) %}{{ s }}{% endfor %}', 2,
     "the template writes more than 2,000,000 characters"),
    ("{% macro f() %}{{ f() }}{% endmacro %}\n{{ f() }}", 1, "calls itself"),
]


def _single_error(result) -> str:
    assert result.code == 1, result.err
    [line] = result.err.splitlines()
    assert "internal error" not in line and "Traceback" not in result.err
    return line


@pytest.mark.parametrize("text, line, said", HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_a_template_that_asks_for_too_much_is_refused_at_its_line(channel, run_cli, text, line, said):
    channel.write("templates/description.txt.j2", text + "\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error.startswith(f"error: templates/description.txt.j2:{line}: "), error
    assert said in error


def test_what_an_included_template_writes_is_reported_at_the_include(channel, run_cli):
    channel.write("templates/big.j2", '{% for i in range(100) %}{{ "a" * 1000000 }}{% endfor %}\n')
    channel.write("templates/description.txt.j2", "Intro\n{% include 'big.j2' %}\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error.startswith("error: templates/description.txt.j2:2: the template writes more than")


def test_an_error_in_an_included_template_names_that_template_and_line(channel, run_cli):
    channel.write("templates/references.txt.j2", "line\n{{ 2 ** 100000 }}\n")
    channel.write("templates/description.txt.j2", "ok\n{% include 'references.txt.j2' %}\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error.startswith("error: templates/references.txt.j2:2: the number made by **")


def test_a_template_that_is_not_utf8_names_the_line_of_the_bad_byte(channel, run_cli):
    channel.write("templates/description.txt.j2", b"{{ episode.title }}\nCaf\xe9\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error == "error: templates/description.txt.j2:2: is not valid UTF-8 (byte 0xe9); save the file as UTF-8"


@pytest.mark.parametrize("name", ["../channel.yaml", "../published.yaml", "/etc/passwd"])
def test_including_a_file_outside_templates_is_refused_at_the_include_line(channel, run_cli, name):
    channel.write("templates/description.txt.j2", f"Intro\n{{% include {name!r} %}}\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error.startswith(f"error: templates/description.txt.j2:2: {name} is not a template in templates/")
    assert "Test Channel" not in error


def test_a_template_made_in_the_usual_ways_still_renders(channel, run_cli):
    channel.write("templates/description.txt.j2", (
        "{% set sep = joiner(', ') %}{% for tag in episode.tags %}{{ sep() }}{{ tag }}{% endfor %} (tags)\n"
        "{{ '=' * 20 }} {{ 2 ** 10 }} {{ '%-5s|' % 'ab' }} {{ '{:>4}'.format(7) }} {{ episode.title|center(30) }}\n"
        "{% for i in range(3) %}{{ loop.cycle('a', 'b') }}{% endfor %} {{ ['x', 'y']|join('-') }}\n"
    ))
    result = run_cli("preview", "test-episode", cwd=channel.root)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "science (tags)", "==================== 1024 ab   |    7         A Test Episode", "aba x-y",
    ]


@pytest.mark.parametrize("text, said", [
    ('{% set s = "a" * 1000000 %}{{ s|wordwrap(1, wrapstring=s)|length }}', "the text made by the filter wordwrap"),
    ('{% set s = "a\\n" * 900000 %}{{ s|indent(10)|length }}', "the text made by the filter indent"),
    ('{{ "ab"|indent(1000000000) }}', "the filter indent is given 1,000,000,000"),
    ('{{ [1]|batch(1000000000, 0)|list|length }}', "the filter batch is given 1,000,000,000"),
    ('{% set s = "a" * 1000000 %}{{ ", ".join([s, s, s]) }}', "the text made by join would be"),
    ('{% set s = "a" * 1000000 %}{{ s.replace("a", "bb") }}', "the text made by replace would be"),
])
def test_filters_and_methods_that_would_make_too_much_text_are_refused(channel, run_cli, text, said):
    channel.write("templates/description.txt.j2", text + "\n")
    error = _single_error(run_cli("preview", "test-episode", cwd=channel.root))
    assert error.startswith("error: templates/description.txt.j2:1: "), error
    assert said in error


def test_the_safety_of_an_attribute_kept_per_type_still_refuses_what_jinja_refuses():
    import jinja2
    from jinja2.exceptions import SecurityError

    from episodekit.pipeline.sandbox import BoundedEnvironment

    env = BoundedEnvironment(undefined=jinja2.StrictUndefined)
    template = env.from_string("{{ text.upper() }} {{ (text.__class__ if unsafe else text)|length }}")
    for _ in range(3):  # asked again and again, the kept answers are Jinja's
        assert template.render(text="ab", unsafe=False) == "AB 2"
        with pytest.raises(SecurityError):
            template.render(text="ab", unsafe=True)
    assert env._safe_attributes[(str, "upper")] is True
    assert env._safe_attributes[(str, "__class__")] is False
