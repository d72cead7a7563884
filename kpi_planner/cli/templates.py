"""``kpi-planner templates``: regenerate the template workbooks from code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpi_planner.cli.app import app


@app.command()
def templates(
    folder: Annotated[
        Path, typer.Option("--out", help="Folder of the templates.", file_okay=False)
    ] = Path("workbooks"),
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if a template differs from the code."),
    ] = False,
) -> None:
    """Regenerate the template workbooks from code (byte-identical on every run).

    [bold]Examples[/bold]

      kpi-planner templates

      kpi-planner templates --check
    """
    from kpi_planner.workbook import templates as workbook_templates

    if check:
        stale = workbook_templates.stale_templates(folder)
        for name in stale:
            typer.echo(f"{folder / name} differs from the code: run 'kpi-planner templates'")
        raise typer.Exit(1 if stale else 0)
    for path in workbook_templates.write_templates(folder):
        typer.echo(f"wrote {path}")
