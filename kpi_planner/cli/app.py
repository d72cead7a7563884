"""The ``kpi-planner`` Typer app and what its commands share: errors, consoles, number lists.

Messages that carry a user's text (a stage name, a file name, an install hint with
``[parquet]`` in it) are printed as plain text, never as rich markup, on one logical line
each (the terminal may fold it, but no line break is added).
"""

from __future__ import annotations

import inspect
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from kpi_planner.reports.numbers import show  # noqa: F401 (the commands' numbers, as cli.app.show)

app = typer.Typer(
    name="kpi-planner",
    help="Turn a revenue goal into a marketing plan: the funnel volumes, cost targets and KPIs.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)


class OutputFormat(StrEnum):
    """How a command prints its results: a table to read, or CSV / JSON for scripts."""

    table = "table"
    csv = "csv"
    json = "json"


def error_console() -> Console:
    """Standard error, with no markup, highlighting or added line breaks."""
    return Console(stderr=True, soft_wrap=True, highlight=False, markup=False)


def print_error(message: object, label: str = "error") -> None:
    """``error: message`` on standard error, the message as plain text."""
    error_console().print(Text.assemble((f"{label}:", "red"), " ", str(message)))


def fail(message: object) -> typer.Exit:
    """Print ``error: message`` and return the exit (status 2) for the caller to raise."""
    print_error(message)
    return typer.Exit(2)


def write_json_option(path: Path, document: object) -> None:
    """``document`` as JSON at ``path`` (a command's ``--json``), atomically; a file that
    cannot be written is named, exit 2."""
    from kpi_planner.files.atomic import write_atomic
    from kpi_planner.files.json_text import json_text

    try:
        write_atomic(path, json_text(document).encode("utf-8"))
    except OSError as err:
        raise fail(f"--json {path}: cannot be written ({err.strerror})") from None


def read_fiscal_year(start: str | None, named_by: str | None) -> tuple[int, str]:
    """``--fiscal-year-start`` (4, April or Apr; none: 1, the calendar year) as a month and
    ``--fiscal-year-named-by`` (end or start; none: end), or exit 2 naming the option."""
    from kpi_engine import KPIInputError, fiscal

    try:
        month = 1 if start is None else fiscal.fiscal_start(start, "--fiscal-year-start")
    except KPIInputError as err:
        raise fail(err.problems[0]) from None
    convention = "end" if named_by is None else named_by.strip().lower()
    if convention not in fiscal.NAMED_BY:
        raise fail(f"--fiscal-year-named-by = {named_by!r}: {fiscal.named_by_rule()}")
    return month, convention


def check_not_an_input(option: str, output: Path | None, *inputs: Path | None) -> None:
    """An output that is one of the command's own input files would replace it (even with
    --force, that is a slip, not a wish): refused before any work, naming both."""
    if output is None:
        return
    for given in inputs:
        if given is not None and output.resolve() == given.resolve():
            raise fail(f"{option} {output}: is the input {given}, which writing it would "
                       "replace; give another file")  # fmt: skip


def numbers(
    text: str,
    option: str,
    *,
    fractions: bool = False,
    expected: int | tuple[int, ...] | None = None,
    what: str = "",
) -> list[float]:
    """Parse a comma-separated list (``"0.015, 0.2"``, ``"1.5%, 20%"``) into floats.

    ``fractions`` marks rates (a percentage above 100 % is refused); ``expected`` is how
    many items the list must have (or the counts it may have), ``what`` says why in the
    message. Decimals take a point:
    the comma separates items, so ``1,5%`` is two items, and a count that does not match
    says so. Raises :class:`typer.Exit` (status 2) after printing the message.
    """
    from kpi_planner.inputs.typed_values import CellError, parse_number

    items = [item.strip() for item in text.split(",")]
    values = []
    for position, item in enumerate(items, start=1):
        try:
            values.append(parse_number(item, ".", fraction=fractions))
        except CellError as err:
            allowed = "numbers such as 0.015 or 1.5%" if fractions else "numbers such as 1.5"
            raise fail(f"{option}: item {position} {item!r} {err}: give comma-separated "
                       f"{allowed}") from None  # fmt: skip
    counts = (expected,) if isinstance(expected, int) else expected
    if counts is not None and len(values) not in counts:
        hint = "; the comma separates items, so decimals take a point (1.5%, not 1,5%)"
        raise fail(f"{option}: gives {len(values)} values ({text}), but {what} takes "
                   f"{' or '.join(map(str, counts))}{hint}")  # fmt: skip
    return values


def money(text: str | None, option: str) -> float | None:
    """An amount of money as people type it (``25,000``, ``$5,000,000``, ``€5.000.000``:
    :func:`~kpi_planner.inputs.typed_values.parse_money`, the rule plan files follow; a table
    reads its cells by its own decimal mark, ``--decimal``); None when the option is not given."""
    from kpi_planner.inputs.typed_values import CellError, parse_money

    if text is None:
        return None
    try:
        return parse_money(text.strip())
    except CellError as err:
        raise fail(f"{option} {text}: {err}: give an amount such as 25000, 25,000 or "
                   "$25,000") from None  # fmt: skip


def currency_option(text: str | None, option: str = "--currency") -> str:
    """``--currency eur`` as ``EUR``; ``""`` when not given. A code no one knows is
    refused in one line naming the option, the value and the rule (status 2)."""
    if text is None:
        return ""
    from kpi_planner.inputs.currency import CurrencyError, currency_code

    try:
        return currency_code(text)
    except CurrencyError as err:
        raise fail(f"{option} {text}: {err}") from None


def growth_option(text: str, option: str = "--growth") -> float:
    """``--growth 25%`` or ``0.25`` as 0.25. A bare number above 1 is refused
    (:func:`~kpi_planner.inputs.typed_values.parse_growth`): ``--growth 25`` planned +2,500 %."""
    from kpi_planner.inputs.typed_values import CellError, parse_growth

    try:
        return parse_growth(text.strip())
    except CellError as err:
        raise fail(f"{option} {text}: {err}") from None


def reflow(docstring: str) -> str:
    r"""A command's help with each prose paragraph on one line, for the terminal to wrap:
    typer's rich help keeps a docstring's line breaks inside paragraphs, which leaves
    ragged half-lines. Indented paragraphs (examples) keep theirs.

    >>> reflow("First line.\n\nA paragraph\nin two lines.\n\n  kpi-planner plan\n  --help")
    'First line.\n\nA paragraph in two lines.\n\n  kpi-planner plan\n  --help'
    """
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(
        p if p.startswith(" ") else " ".join(line.strip() for line in p.splitlines())
        for p in paragraphs
    )


def reflow_help(typer_app: typer.Typer) -> None:
    """Reflow the help of every command of ``typer_app`` and of its sub-apps."""
    for command in typer_app.registered_commands:
        if command.help is None and command.callback is not None and command.callback.__doc__:
            command.help = reflow(command.callback.__doc__)
    for group in typer_app.registered_groups:
        reflow_help(group.typer_instance)
