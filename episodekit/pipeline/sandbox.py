"""The sandbox channel templates run in: Jinja's, and bounded in what a template can compute.

Jinja's ``SandboxedEnvironment`` keeps a template away from Python's internals, but not from
asking for a string of 100 GB (``"a" * 10**11``), a number of 100,000 digits (``2 ** 100000``),
ten million words of filler (``lipsum``) or a loop inside a loop that never ends in practice.
:class:`BoundedEnvironment` refuses each of those before it is computed:

* ``*``, ``**``, ``%`` and ``+`` are checked before they run: no text longer than
  ``MAX_TEXT`` characters, no list longer than ``MAX_ITEMS``, no number of more than
  ``MAX_INT_BITS`` bits; so are ``~``, every printed value and every filter or method that can
  make text much longer than what it is given (``center``, ``replace``, ``join``, ``format`` ...);
* every turn of a loop and every call counts against ``MAX_STEPS`` for one render, and a render
  stops after ``MAX_SECONDS`` whatever it does;
* what one template writes is cut off at ``MAX_TEXT`` characters;
* ``lipsum``, which makes filler text and nothing a description needs, is not there.

Each refusal is a :class:`TemplateLimitError` (a Jinja runtime error), which the renderer reports
at the template's file and line. The limits are far above what a description (5,000 bytes), a
script or a reference list needs.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import _PassArg

MAX_TEXT = 2_000_000  # characters in any one text a template makes, and in all it writes
MAX_ITEMS = 100_000  # items in a list made by repetition (Jinja's own limit for range)
MAX_INT_BITS = 10_000  # about 3,000 digits
MAX_STEPS = 50_000  # loop turns and calls in one render (a description needs a few hundred)
MAX_SECONDS = 2.0  # wall time of one render, whatever its steps do (a description takes milliseconds)
REMOVED_GLOBALS = ("lipsum",)  # filler text: nothing a description needs, and unbounded
_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_JOINING_FILTERS = frozenset({"string", "pprint", "tojson", "urlencode", "xmlattr", "list"})
_NUMBER = re.compile(r"[0-9]+")


class TemplateLimitError(jinja2.TemplateRuntimeError):
    """A template asked for more than the sandbox allows; nothing of it was computed.

    ``lineno`` is the template's line when the traceback cannot tell it (what a template writes is
    counted outside it).
    """

    def __init__(self, message: str, lineno: int | None = None):
        super().__init__(message)
        self.lineno = lineno


@dataclass
class _Budget:
    steps: int
    deadline: float


_budget: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


def _spend() -> None:
    """One loop turn or call of the render under way."""
    budget = _budget.get()
    if budget is None:
        return
    budget.steps -= 1
    if budget.steps < 0:
        raise TemplateLimitError(
            f"the template takes more than {MAX_STEPS:,} steps (loop turns and calls); "
            "loops inside loops over long lists add up quickly"
        )
    if budget.steps % 1024 == 0 and time.monotonic() > budget.deadline:
        raise TemplateLimitError(f"the template ran for more than {MAX_SECONDS:g} s; make it do less")


def _too_long(what: str, size: int, limit: int, unit: str = "characters") -> TemplateLimitError:
    return TemplateLimitError(f"{what} would be {size:,} {unit} long; a template may make at most {limit:,}")


def size_of(value: Any, limit: int = MAX_TEXT) -> int:
    """About how many characters ``value`` prints as, counted only until it passes ``limit``.

    A list of a thousand references to one long text prints it a thousand times, so a
    container counts what it holds, again for each reference; cycles end at the limit.
    """
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 1
        elif isinstance(item, dict):
            total += len(item) + 1
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item) + 1
            stack.extend(item)
        else:
            total += 1
    return total


def check_size(value: Any, what: str = "a value") -> Any:
    """``value`` when it prints as at most ``MAX_TEXT`` characters; ``TemplateLimitError`` otherwise."""
    size = size_of(value)
    if size > MAX_TEXT:
        raise _too_long(what, size, MAX_TEXT)
    return value


def _check_length(value: Any, what: str) -> Any:
    """A text or list as long as it may be (its length only: cheap enough for every result)."""
    if isinstance(value, str | bytes) and len(value) > MAX_TEXT:
        raise _too_long(what, len(value), MAX_TEXT)
    if isinstance(value, list | tuple | dict | set) and len(value) > MAX_TEXT:
        raise _too_long(what, len(value), MAX_TEXT, "items")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise _too_long(what, value.bit_length(), MAX_INT_BITS, "bits")
    return value


def _check_numbers(values: Any, what: str) -> None:
    """No number among ``values`` (a width, a count) above ``MAX_TEXT``."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            raise TemplateLimitError(f"{what} is given {value:,}; a template may ask for at most {MAX_TEXT:,}")


def _check_format(text: str, args: Any, what: str) -> None:
    """A format string (``%`` or ``.format``) with no width above ``MAX_TEXT``, on values that fit."""
    for number in _NUMBER.findall(text):
        if len(number) > len(str(MAX_TEXT)) or int(number) > MAX_TEXT:
            raise TemplateLimitError(f"{what} asks for a width of {number}; a template may ask for at most {MAX_TEXT:,}")
    values = args if isinstance(args, tuple | list) else (args,)
    _check_numbers(values, what)
    check_size([text, *values], what)


def _check_repeat(left: Any, right: Any) -> None:
    """``text * n``, ``list * n`` and ``n * m`` that fit the limits."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            size, limit = len(sequence) * max(count, 0), (MAX_TEXT if isinstance(sequence, str) else MAX_ITEMS)
            if size > limit:
                unit = "characters" if isinstance(sequence, str) else "items"
                raise _too_long(f"the {type(sequence).__name__} made by *", size, limit, unit)
            return
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise _too_long("the number made by *", left.bit_length() + right.bit_length(), MAX_INT_BITS, "bits")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        bits = (abs(base).bit_length() - 1) * exponent + 1
        if bits > MAX_INT_BITS:
            raise _too_long("the number made by **", bits, MAX_INT_BITS, "bits")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        _check_repeat(left, right)
    elif operator == "**":
        _check_power(left, right)
    elif operator == "%" and isinstance(left, str):
        _check_format(left, right, "the format string before %")
    elif operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        if len(left) + len(right) > MAX_TEXT:
            raise _too_long("the result of +", len(left) + len(right), MAX_TEXT)


def _check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A method of a text that could make it far longer: its widths, replacements and parts."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in _WIDTH_METHODS:
        _check_numbers([*args, *kwargs.values()], f"{name}()")
        if name == "expandtabs" and args and isinstance(args[0], int) and owner.count("\t") * args[0] > MAX_TEXT:
            raise _too_long("the text made by expandtabs()", owner.count("\t") * args[0], MAX_TEXT)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])
    elif name == "join" and args:
        _check_join(args[0], owner)


def _check_join(items: Any, separator: Any) -> None:
    count = len(items) if isinstance(items, list | tuple | dict | set | str) else 0
    size = size_of(items) + (len(separator) if isinstance(separator, str) else 0) * count
    if size > MAX_TEXT:
        raise _too_long("the text made by join", size, MAX_TEXT)


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        size = len(text) + (text.count(old) if old else len(text) + 1) * len(new)
        if size > MAX_TEXT:
            raise _too_long("the text made by replace", size, MAX_TEXT)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, refusing arguments that would make too much and results that are too long."""
    skip = 1 if _PassArg.from_obj(function) is not None else 0  # the context Jinja passes first

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, given = (args[skip] if len(args) > skip else None), [*args[skip + 1:], *kwargs.values()]
        _check_numbers(given, f"the filter {name}")
        _check_filter(name, value, given)
        return _check_length(function(*args, **kwargs), f"the result of the filter {name}")

    return bounded


def _check_filter(name: str, value: Any, given: list[Any]) -> None:
    """What the filter ``name`` would make of ``value`` and its arguments ``given``, before it runs."""
    words = [g for g in given if isinstance(g, str)]  # the only text argument of each filter below
    numbers = [g for g in given if isinstance(g, int) and not isinstance(g, bool)]
    if name == "replace" and len(words) >= 2:
        _check_replace(value, words[0], words[1])
    elif name == "format" and isinstance(value, str):
        _check_format(value, tuple(given), "the filter format")
    elif name in ("indent", "wordwrap") and isinstance(value, str):
        if name == "indent":  # a prefix on every line
            lines, prefix = value.count("\n") + 1, len(words[0]) if words else (numbers or [4])[0]
        else:  # a line break (wrapstring) every `width` characters
            lines, prefix = len(value) // max((numbers or [79])[0], 1) + 1, len(words[0]) if words else 1
        if len(value) + lines * prefix > MAX_TEXT:
            raise _too_long(f"the text made by the filter {name}", len(value) + lines * prefix, MAX_TEXT)
    elif name == "join":
        _check_join(value, words[0] if words else "")
    elif name in _JOINING_FILTERS:
        check_size([value, *given], f"the text made by the filter {name}")


class _CountingCodeGenerator(CodeGenerator):
    """Jinja's code generator, with a step counted at each turn of a loop and ``~`` checked."""

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        if frame.loop_frame:  # the start of a loop's body (visit_For is the only one entering such a frame)
            self.writeline("environment.step()")

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.joined((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, refusing what would take more memory or time than a description is worth."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _CountingCodeGenerator

    def __init__(self, **options: Any):
        super().__init__(finalize=functools.partial(check_size, what="the printed value"), **options)
        for name in REMOVED_GLOBALS:
            self.globals.pop(name, None)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's answer, which depends only on the attribute's name and the object's type, kept for
        each pair: templates ask for the same few (``entry.text``, ``loop.last``) thousands of times."""
        key = (type(obj), attr)
        known = self._safe_attributes.get(key)
        if known is None:
            known = super().is_safe_attribute(obj, attr, value)
            if len(self._safe_attributes) < 10_000:
                self._safe_attributes[key] = known
        return known

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        """An operator, refused when its result would grow too large."""
        _check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """A call, counted, and refused when it (or what it grew) is too large."""
        _spend()
        _check_method(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, list | dict | set):  # append, extend, update: what they grew
            _check_length(owner, f"the {type(owner).__name__} changed by {getattr(__obj, '__name__', 'a call')}()")
        return _check_length(result, "the result of the call")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` of a template, its arguments and result bounded."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_format(text, (*args, *kwargs.values()), f"the format string {text[:30]!r}")
            return _check_length(wrapped(*args, **kwargs), "the formatted text")

        return bounded

    def step(self) -> None:
        """Called at every turn of a loop; see :class:`_CountingCodeGenerator`."""
        _spend()

    def joined(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b``: the parts as text, when together they fit."""
        check_size(list(parts), "the text made by ~")
        return "".join(map(str, parts))


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """What ``template`` writes for ``context``, within the limits; ``TemplateLimitError`` beyond them."""
    token = _budget.set(_Budget(MAX_STEPS, time.monotonic() + MAX_SECONDS))
    try:
        written, size = [], 0
        stream = template.generate(context)
        for chunk in stream:
            size += len(chunk)
            if size > MAX_TEXT:
                raise TemplateLimitError(
                    f"the template writes more than {MAX_TEXT:,} characters", _line_writing(template, stream)
                )
            written.append(chunk)
        return "".join(written)
    finally:
        _budget.reset(token)


def _line_writing(template: jinja2.Template, stream: Iterator[str]) -> int:
    """The line of ``template`` that wrote the last piece (an include's line for what it included)."""
    inner = getattr(stream, "gi_yieldfrom", None)
    frame = getattr(inner, "gi_frame", None)
    return template.get_corresponding_lineno(frame.f_lineno) if frame is not None else 1
