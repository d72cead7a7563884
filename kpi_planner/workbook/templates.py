"""The template workbooks of ``workbooks/``: generated from code, never edited by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook import spec
from kpi_planner.workbook.render import xlsx

#: File name -> the workbook it holds. The plan template carries seed 000's example inputs.
TEMPLATES: dict[str, Callable[[], spec.Workbook]] = {
    "marketing-plan.xlsx": plan_book.plan_workbook,
}


def write_templates(folder: Path) -> list[Path]:
    """Regenerate every template into ``folder``; returns the paths written."""
    return [xlsx.save(build(), Path(folder) / name) for name, build in TEMPLATES.items()]


def stale_templates(folder: Path) -> list[str]:
    """Names of the templates in ``folder`` that are missing or differ from what the code makes."""
    stale = []
    for name, build in TEMPLATES.items():
        path = Path(folder) / name
        if not path.is_file() or path.read_bytes() != xlsx.xlsx_bytes(build()):
            stale.append(name)
    return stale
