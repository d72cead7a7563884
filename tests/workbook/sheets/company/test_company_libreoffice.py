"""Issue 32's company, and one with uneven seasonality and funnels of 5 and 3 stages, as
LibreOffice recalculates their workbooks: every formula cell of the Company sheet (the
year, the segments' and the company's quarters) equals the engine's value (a third program
beside the `formulas` evaluator).
Skips without LibreOffice, unless CI requires it (``KPI_PLANNER_VISUAL=required``)."""

from __future__ import annotations

import math

import pytest

from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx
from kpi_planner.workbook.sheets.company.grid import COMPANY
from tests.libreoffice import record

from .examples import seasonal_segments, two_regions_and_partners


@pytest.fixture(scope="module")
def libreoffice():
    return record.soffice_or_skip()


@pytest.mark.parametrize("example", [two_regions_and_partners, seasonal_segments])
def test_libreoffice_computes_the_engines_company(libreoffice, tmp_path, example):
    company = example()
    workbook = xlsx.save(plan_book.plan_workbook(company=company), tmp_path / "company.xlsx")
    # Recalculated from a copy whose every formula carries a false cached value, so none
    # of the engine's cached values can pass for LibreOffice's.
    computed = record.computed_by_libreoffice([workbook], tmp_path, libreoffice)[workbook]
    _, _, engine, _ = plan_book.company_part(company)
    found = {ref: computed[f"{COMPANY}!{ref}"] for ref in engine}
    differ = {
        ref: (found[ref], want)
        for ref, want in engine.items()
        if not (found[ref] == want if isinstance(want, str)
                else math.isclose(found[ref], want, rel_tol=1e-9, abs_tol=1e-12))
    }  # fmt: skip
    assert differ == {}
    if example is seasonal_segments:  # its hand arithmetic: test_company_quarters
        return
    # Hand arithmetic (see test_company_sheet): 4,000,000 for new logos, 72 customers.
    assert found["B15"] == 4_000_000
    assert [found[f"H{row}"] for row in (21, 22, 23)] == [40, 24, 8]
