"""``--currency``: the plan's money with its symbol in every table, its code in CSV and JSON,
and one line for a code no one knows. Without it every output is as before (tests/golden)."""

import json

from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()
BAD = ("error: --currency EURO: is not an ISO 4217 currency code such as EUR, USD, GBP or JPY "
       "(empty for none)")  # fmt: skip


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_plan_shows_the_goal_and_the_cost_targets_in_euros():
    result = run("plan", "--example", "--budget", "600000", "--currency", "eur")
    assert result.exit_code == 0, result.output
    # The seed example: 10,000,000 / 1,100,000 = 9.09 customers; 600,000 / 83,334 visits =
    # 7.20 a visit, 600,000 / 10 customers = 60,000 a customer.
    assert ("Goal: €10,000,000 of revenue / €1,100,000 a deal = 9.09 customers a year"
            in result.stdout)  # fmt: skip
    for cost in ("€7.20", "€480", "€2,400", "€60,000"):
        assert cost in result.stdout
    assert "83,334" in result.stdout
    assert "€83,334" not in result.stdout  # volumes: no symbol


def test_a_currency_without_minor_units_shows_whole_costs():
    result = run("plan", "--example", "--budget", "600000", "--currency", "JPY")
    assert result.exit_code == 0, result.output
    visits = next(line for line in result.stdout.splitlines() if line.startswith("│ Visits"))
    assert visits.split("│")[-2].strip() == "¥7"  # 600,000 / 83,334 = 7.20 yen: no sen


def test_json_carries_the_code_and_csv_names_it_in_the_heading():
    result = run("plan", "--example", "--budget", "600000", "--currency", "EUR", "--format",
                 "json")  # fmt: skip
    document = json.loads(result.stdout)
    assert document["currency"] == "EUR"
    assert document["volumes"]["Cost target"]["Customers"] == 60_000  # plain numbers
    result = run("plan", "--example", "--budget", "600000", "--currency", "EUR", "--format",
                 "csv")  # fmt: skip
    assert result.stdout.splitlines()[0] == "stage,Year,Cost target (EUR)"
    assert result.stdout.splitlines()[-1] == "Customers,10,60000"


def test_no_currency_leaves_json_and_csv_as_they_were():
    document = json.loads(run("plan", "--example", "--format", "json").stdout)
    assert "currency" not in document
    result = run("plan", "--example", "--budget", "600000", "--format", "csv")
    assert result.stdout.splitlines()[0] == "stage,Year,Cost target"


def test_an_unknown_code_is_one_line_naming_the_option_and_exit_2():
    for command in (["plan", "--example"], ["build", "--out", "never.xlsx"]):
        result = run(*command, "--currency", "EURO")
        assert result.exit_code == 2
        assert result.stderr.strip() == BAD
        assert result.stdout == ""


def test_channels_and_scenarios_show_money_with_the_symbol(tmp_path):
    result = run("plan", "--example", "--budget", "600000", "--channels",
                 "examples/channels.csv", "--currency", "GBP")  # fmt: skip
    assert result.exit_code == 0, result.output
    # README's channels: 86,956.52 needed of the 600,000 budget.
    assert "Budget £600,000 against £86,956.52 needed: a surplus of £513,043.48" in result.stdout
    csv = run("plan", "--example", "--channels", "examples/channels.csv", "--currency", "GBP",
              "--format", "csv")  # fmt: skip
    assert csv.stdout.splitlines()[0].endswith(",budget (GBP),cac (GBP)")
    scenarios = run("plan", "--example", "--budget", "600000", "--scenario",
                    "examples/scenarios.csv", "--currency", "USD", "--format", "csv")  # fmt: skip
    assert "Budget (USD),600000,600000,500000" in scenarios.stdout.splitlines()


def test_build_prints_its_line_in_the_currency_and_a_plan_file_may_name_it(tmp_path):
    result = run("build", "--out", tmp_path / "plan.xlsx", "--currency", "EUR")
    assert result.exit_code == 0, result.output
    # The seed example: 600,000 / 10 customers.
    assert "CAC €60,000, LTV:CAC" in result.stdout
    config = tmp_path / "plan.yaml"
    config.write_text("currency: euro\n")
    bad = run("build", "--out", tmp_path / "bad.xlsx", "--config", config)
    assert bad.exit_code == 2
    assert ("plan.yaml: currency = 'euro': is not an ISO 4217 currency code such as EUR"
            in bad.stderr)  # fmt: skip
    assert not (tmp_path / "bad.xlsx").exists()


def test_report_reads_the_workbooks_currency(tmp_path):
    book = tmp_path / "plan.xlsx"
    assert run("build", "--out", book, "--currency", "usd").exit_code == 0
    out = tmp_path / "report.json"
    result = run("report", book, "--json", out)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["currency"] == "USD"


def test_report_names_the_cell_of_an_unknown_currency(tmp_path):
    import openpyxl

    book = tmp_path / "plan.xlsx"
    assert run("build", "--out", book).exit_code == 0
    workbook = openpyxl.load_workbook(book)
    workbook["Plan"]["B16"] = "EURO"  # the Currency cell, past its validation
    workbook.save(book)
    result = run("report", book)
    assert result.exit_code == 2
    assert "Plan!B16 = 'EURO': is not an ISO 4217 currency code" in result.stderr
