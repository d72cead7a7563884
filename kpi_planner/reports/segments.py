"""Plan vs actual for several segments at once, one plan workbook each (as ``fill`` writes
them from a segments table): each segment's report, the revenue its focus area costs to
date, and the segment to fix first (:func:`kpi_engine.fix_first`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import kpi_engine
from kpi_planner.reports.plan_vs_actual import Report, read_report


@dataclass
class SegmentReports:
    """Each segment's report by its name, what its focus area costs, and the one to fix."""

    reports: dict[str, Report]
    at_risk: dict[str, float]

    @property
    def fix_first(self) -> str | None:
        return kpi_engine.fix_first(self.at_risk)

    def to_json(self) -> dict[str, object]:
        first = self.fix_first
        return {
            "segments": [{"segment": name, "revenue_at_risk": self.at_risk[name],
                          **report.to_json()} for name, report in self.reports.items()],
            "fix_first": None if first is None else {
                "segment": first, "focus_area": self.reports[first].to_json()["focus_area"],
                "revenue_at_risk": self.at_risk[first]},
        }  # fmt: skip


def segment_names(paths: list[Path]) -> list[str]:
    """Each workbook's segment name: its file's name without the suffix (``EMEA.xlsx`` is
    EMEA), or its path where two files share a name."""
    stems = [path.stem for path in paths]
    return [stem if stems.count(stem) == 1 else str(path)
            for stem, path in zip(stems, paths, strict=True)]  # fmt: skip


def read_segment_reports(paths: list[Path], as_of: dt.date | None = None) -> SegmentReports:
    """Each workbook's report, and the revenue its focus area costs to date.

    Raises :class:`~kpi_engine.KPIInputError` with the first unreadable workbook's problems,
    each prefixed with its file.
    """
    reports: dict[str, Report] = {}
    for name, path in zip(segment_names(paths), paths, strict=True):
        try:
            reports[name] = read_report(path, as_of)
        except kpi_engine.KPIInputError as err:
            raise kpi_engine.KPIInputError([
                kpi_engine.Problem(f"{path.name}: {p.argument}", p.value, p.rule, p.row)
                for p in err.problems
            ]) from None  # fmt: skip
    at_risk = {}
    for name, report in reports.items():
        if report.diagnosis is None or not report.deal_size:
            at_risk[name] = 0.0
            continue
        at_risk[name] = kpi_engine.revenue_at_risk(report.diagnosis, deal_size=report.deal_size,
                                                   stages=report.stages)  # fmt: skip
    return SegmentReports(reports, at_risk)
