"""``kpi-planner addin``: build, install and generate the Excel add-in's files."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer

from kpi_planner.cli.app import app, print_error

addin_app = typer.Typer(
    help="The Excel add-in: build the .xlam, install it, generate its sources.",
    no_args_is_help=True,
)
app.add_typer(addin_app, name="addin")


def _addin_module(name: str):
    """A module of the add-in package, or exit with how to install it."""
    try:
        return importlib.import_module(f"kpi_planner_addin.{name}")
    except ImportError as err:
        print_error(f"{err}: pip install 'kpi-planner[addin]'")
        raise typer.Exit(2) from None


def _check_or_write(files: dict[Path, bytes], check: bool, command: str) -> None:
    """Write generated files (atomically), or with ``check`` write nothing and exit 1 when
    one on disk differs from what the code generates, saying which and what to run."""
    from kpi_planner.files.atomic import write_atomic

    if check:
        stale = [path for path, data in files.items()
                 if not path.is_file() or path.read_bytes() != data]  # fmt: skip
        for path in stale:
            typer.echo(f"{path} differs from the code: run '{command}'")
        raise typer.Exit(1 if stale else 0)
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        typer.echo(f"wrote {write_atomic(path, data)}")


@addin_app.command("sources")
def addin_sources(
    folder: Annotated[
        Path, typer.Option("--out", help="Folder of the generated sources.", file_okay=False)
    ] = Path("addin/vba"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a source differs.")
    ] = False,
) -> None:
    """Generate the add-in's ribbon XML and VBA modules (needs: pip install ".[addin]").

    [bold]Examples[/bold]

      kpi-planner addin sources

      kpi-planner addin sources --check
    """
    sources = _addin_module("build").sources()
    files = {folder / name: text.encode() for name, text in sources.items()}
    _check_or_write(files, check, "kpi-planner addin sources")


@addin_app.command("build")
def addin_build(
    out: Annotated[
        Path, typer.Option("--out", help="The add-in file to write.", dir_okay=False)
    ] = Path("addin/kpi_planner.xlam"),
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if --out differs from the code.")
    ] = False,
) -> None:
    """Build the Excel add-in (.xlam) and its self-test workbook (selftest.xlsx, beside it).

    The add-in: ribbon, VBA callbacks, function wrappers, config sheet. Deterministic: the
    same code gives the same bytes.

    [bold]Examples[/bold]

      kpi-planner addin build

      kpi-planner addin build --out ~/Desktop/kpi_planner.xlam
    """
    _check_or_write(_addin_module("build").built_files(out), check, "kpi-planner addin build")


@addin_app.command("install")
def addin_install() -> None:
    """Install the add-in into Excel's startup folder (Windows, macOS) and point it at this Python.

    Writes kpi_planner.xlam into Excel's startup folder, and the config file the add-in
    reads, with this interpreter: Windows %USERPROFILE%\\.kpi_planner\\kpi_planner.conf; macOS
    ~/Library/Containers/com.microsoft.Excel/Data/kpi_planner.conf (Excel's sandbox). Restart
    Excel; the "KPI Planner" tab appears and =FUNNEL_REQUIRED works in any workbook (functions
    on Windows only). Then click KPI Planner > Self-test. On other systems it refuses.
    """
    installer = _addin_module("install")
    try:
        done = installer.install()
    except installer.InstallError as err:
        print_error(err)
        raise typer.Exit(2) from None
    typer.echo(f"installed {done.addin}\nwrote {done.config}\nRestart Excel to load it.")
