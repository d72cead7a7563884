"""Money cells in the plan's currency, read back from the written workbook with openpyxl.

Each sheet's money (the Plan's goal, deal size, budget, CAC, CLV and costs per unit; the
Channels' costs, budgets and CACs; the What-if's; the actual spend and costs to date) shows
the symbol of the currency the workbook is built with; volumes, rates and counts do not.
"""

import io

import openpyxl
import pytest

from kpi_planner.plan.one_plan import PlanInputs
from kpi_planner.workbook import book as plan_book
from kpi_planner.workbook.render import xlsx


def written(currency: str) -> openpyxl.Workbook:
    data = xlsx.xlsx_bytes(plan_book.plan_workbook(PlanInputs(currency=currency)))
    return openpyxl.load_workbook(io.BytesIO(data))


# (sheet, cell, what): one money cell of each kind, rows as README's defined names have them.
MONEY_CELLS = [("Plan", "B6", "RevenueGoal"), ("Plan", "B7", "DealSize"),
               ("Plan", "B8", "MarketingBudget"), ("Plan", "B19", "PlannedCAC"),
               ("Plan", "B20", "CustomerLifetimeValue"), ("Channels", "B7", "=MarketingBudget"),
               ("Channels", "H22", "a channel's budget"), ("Channels", "I30", "BlendedCAC"),
               ("Channels", "B44", "BudgetNeeded"), ("Channels", "B46", "BudgetGap"),
               ("What-if", "B7", "WhatIfBudget"), ("Actuals", "C13", "ActualSpend"),
               ("Channel actuals", "D8", "ChannelActualSpend"),
               ("Channel actuals", "K8", "ChannelCACToDate")]  # fmt: skip
UNIT_COSTS = [("Plan", "D26", "CostPerStage"), ("Channels", "C11", "ChannelCosts"),
              ("Channel actuals", "I8", "ChannelUnitCostToDate"),
              ("Diagnosis", "B28", "CostPerStageToDate")]  # fmt: skip
NOT_MONEY = [
    ("Plan", "C26", "#,##0.00"),
    ("Plan", "B9", "0.0%"),
    ("Plan", "B18", "#,##0.00"),
    ("Channels", "E11", "#,##0"),
]  # volumes, a margin, customers, a max volume


@pytest.mark.parametrize(
    ("currency", "money", "unit_cost"),
    [("EUR", '"€"#,##0', '"€"#,##0.00'), ("USD", '"$"#,##0', '"$"#,##0.00'),
     ("GBP", '"£"#,##0', '"£"#,##0.00'), ("JPY", '"¥"#,##0', '"¥"#,##0'),
     ("", "#,##0", "#,##0.00")],
)  # fmt: skip
def test_money_cells_show_the_symbol_and_nothing_else_does(currency, money, unit_cost):
    book = written(currency)
    assert book["Plan"]["B16"].value == (currency or None)  # the Currency input
    for sheet, ref, what in MONEY_CELLS:
        assert book[sheet][ref].number_format == money, (sheet, ref, what)
    for sheet, ref, what in UNIT_COSTS:
        assert book[sheet][ref].number_format == unit_cost, (sheet, ref, what)
    for sheet, ref, number_format in NOT_MONEY:
        assert book[sheet][ref].number_format == number_format, (sheet, ref)


def _rules(sheet) -> list[tuple[str, str, str]]:
    return [(str(cf.sqref), rule.formula[0], rule.dxf.numFmt.formatCode)
            for cf in sheet.conditional_formatting for rule in cf.rules]  # fmt: skip


def test_another_code_in_the_currency_cell_shows_money_with_no_symbol():
    book = written("EUR")
    rules = _rules(book["Plan"])
    assert ("B6 B7 B8 B19 B20", 'Currency<>"EUR"', "#,##0") in rules
    assert ("D26 D27 D28 D29 D30 D31", 'Currency<>"EUR"', "#,##0.00") in rules
    actuals = _rules(book["Actuals"])
    assert actuals == [("C13:N13", 'Currency<>"EUR"', "#,##0")]
    # The What-if ranking's cost and deal-size levers: with no symbol first, so it wins over
    # the priced rule.
    whatif = [r for r in _rules(book["What-if"]) if r[0] == "C41:D41"]
    assert whatif == [
        ("C41:D41", 'AND(RIGHT($B41,13)="cost per unit",Currency<>"EUR")', "#,##0.00"),
        ("C41:D41", 'AND($B41="deal size",Currency<>"EUR")', "#,##0"),
        ("C41:D41", 'RIGHT($B41,13)="cost per unit"', '"€"#,##0.00'),
        ("C41:D41", '$B41="deal size"', '"€"#,##0'),
    ]


def test_a_currency_cell_takes_the_built_code_or_none_and_says_why():
    [rule] = [v for v in written("EUR")["Plan"].data_validations.dataValidation
              if str(v.sqref) == "B16"]  # fmt: skip
    assert (rule.type, rule.formula1) == ("list", '"EUR"')
    assert "build it again with kpi-planner build --currency" in rule.error
    assert not [v for v in written("")["Plan"].data_validations.dataValidation
                if str(v.sqref) == "B16"]  # fmt: skip
    assert not any("Currency" in r[1] for r in _rules(written("")["Plan"]))
