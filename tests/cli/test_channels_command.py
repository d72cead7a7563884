"""`kpi-planner plan --channels`: the budget by channel, the optimal mix and what-if (issue 11)."""

import json

import pytest
from typer.testing import CliRunner

from kpi_planner.cli.main import app

runner = CliRunner()

# Three channels. By hand, with the example's 10 customers (whole numbers) and the seed's
# rates below leads (0.2 x 0.2 x 0.4 x 0.5 = 0.008; events' own Leads -> MQL 0.3 gives
# 0.012): blended 0.5 x 0.008 + 0.3 x 0.012 + 0.2 x 0.008 = 0.0092, so 10 / 0.0092 =
# 1,086.96 leads and 10 x 80 / 0.0092 = 86,956.52 of budget (80 = 0.5 x 60 + 0.3 x 150 +
# 0.2 x 25, the mix's cost per lead).
CHANNELS = """channel,share,cost per lead,max share,max volume,Leads -> MQL
Paid search,50%,60,,400,
Events,30%,150,,,30%
Content and SEO,20%,25,20%,,
"""


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})


@pytest.fixture
def channels(tmp_path):
    path = tmp_path / "channels.csv"
    path.write_text(CHANNELS, encoding="utf-8")
    return path


def test_the_budget_by_channel_against_the_budget(channels):
    result = run("plan", "--example", "--budget", 600000, "--channels", channels)
    assert result.exit_code == 0, result.output
    assert "86,956.52" in result.stdout  # the budget the goal needs
    # 600,000 - 86,956.52 = 513,043.48; 600,000 / 80 x 0.0092 = 69 customers, x 1.1 million.
    assert "a surplus of 513,043.48" in result.stdout
    assert "reaches 69 customers, 75,900,000 of revenue" in result.stdout
    # Search's 50 % is 543.48 leads, past its limit of 400.
    assert "Paid search brings 543.48 Leads; its max volume is 400" in result.stdout


def test_json_carries_the_plan_the_optimal_mix_and_the_ranked_whatif(channels, tmp_path):
    result = run("plan", "--example", "--channels", channels, "--optimise", "--whatif",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["budget_needed"] == pytest.approx(10 * 80 / 0.0092)
    # Optimal: search capped at 400 leads, content at 20 % of leads, events the rest:
    # 0.2T x 0.008 + 400 x 0.008 + (0.8T - 400) x 0.012 = 10 -> T = 11.6 / 0.0112.
    total = 11.6 / 0.0112
    best = record["optimal"]
    assert best["entry_volumes"]["Events"] == pytest.approx(0.8 * total - 400, rel=1e-7)
    assert best["budget_needed"] == pytest.approx(
        0.2 * total * 25 + 400 * 60 + (0.8 * total - 400) * 150, rel=1e-7
    )
    assert set(best["binding"]) == {"Paid search: at most 400 Leads",
                                    "Content and SEO: at most 20 % of Leads"}  # fmt: skip
    # A 10 % better rate below leads (or a 10 % bigger deal) divides the budget by 1.1.
    ranked = record["whatif"]["ranked"]
    assert ranked[0]["budget_saved"] == pytest.approx(10 * 80 / 0.0092 * (1 - 1 / 1.1))
    assert [w["budget_saved"] for w in ranked] == sorted(
        (w["budget_saved"] for w in ranked), reverse=True
    )


def test_the_optimiser_needs_no_shares_and_yaml_works(tmp_path):
    path = tmp_path / "channels.yaml"
    path.write_text("- {channel: Search, cost per lead: 50, max volume: 500}\n"
                    "- {channel: Events, cost per lead: 120}\n", encoding="utf-8")  # fmt: skip
    result = run("plan", "--customers", 9, "--channels", path, "--optimise", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.splitlines()]
    assert rows[0][:3] == ["channel", "share", "Leads"]
    # 9 customers need 1,125 leads: 500 from search (the cap), 625 from events.
    assert [(r[0], float(r[2])) for r in rows[1:]] == [("Search", 500.0), ("Events", 625.0)]


@pytest.mark.parametrize(
    ("table", "options", "message"),
    [
        ("channel,share,cost per lead\nA,50%,60\nB,40%,90\n", (),
         "shares = 0.9: add up to 90 %, 10 % short of 100 %"),
        ("channel,share,cost per lead\nA,lots,60\nB,50%,90\n", (),
         "row 2, column share: 'lots'"),
        ("channel,share,cost per lead\nA,50%,0\nB,50%,90\n", (),
         "row 2 (A), column cost per lead: 0: a channel that costs nothing per unit"),
        ("channel,share,cost per lead\nEvents,50%,60\nevents,50%,90\n", (),
         "row 3, column channel: 'events': is the name of row 2 too"),
        ("channel,share,cost per lead,colour\nA,100%,60,red\n", (),
         "column 'colour' is not a channel column"),
        ("channel,cost per lead\nA,60\n", (),
         "has no 'share' column (it has channel, cost per lead); or add --optimise"),
        ("channel,share,cost per lead\nA,100%,60\nB,,40\n", (),
         "has no shares for every channel"),
        ("channel,cost per lead,max volume\nA,60,10\n", ("--optimise",),
         "let the channels bring at most 0.08 customers of the 10 needed"),
        ("channel,share,cost per lead\nA,100%,60\n", ("--whatif", "--step", "0"),
         "--step 0: must be between -100 % and 100 %, not 0"),
        ("channel,share,cost per lead\nA,100%,60\n", ("--whatif", "--step", "150%"),
         "--step 150%: must be between -100 % and 100 %, not 0"),
        ("channel,share,cost per lead\nA,100%,60\n", ("--entry", "Customers"),
         "--entry Customers: must be a stage above the last"),
    ],
)  # fmt: skip
def test_mistakes_name_the_row_and_column_and_print_nothing_else(tmp_path, table, options,
                                                                 message):  # fmt: skip
    path = tmp_path / "channels.csv"
    path.write_text(table, encoding="utf-8")
    result = run("plan", "--example", "--channels", path, *options)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split()), result.stderr
    assert result.stdout == ""


def test_optimise_and_whatif_need_channels():
    result = run("plan", "--example", "--optimise")
    assert result.exit_code == 2
    assert "give the channels too" in result.stderr


def test_readme_channel_example_is_what_the_command_computes():
    # README's worked example: every number it states, from the command's JSON.
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme.split("### Channels, the budget", 1)[1].split("### ", 1)[0].split())
    result = run("plan", "--example", "--budget", 600000, "--channels",
                 "examples/channels.csv", "--optimise", "--whatif", "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    budgets = {c["name"]: c["budget"] for c in record["channels"]}
    best = record["optimal"]
    ranked = {w["input"]: w for w in record["whatif"]["ranked"]}
    stated = {
        "86,956.52": record["budget_needed"],
        "32,608.70": budgets["Paid search"],
        "48,913.04": budgets["Events"],
        "5,434.78": budgets["Content and SEO"],
        "513,043.48": record["budget_gap"],
        "69": record["reachable_customers"],
        "75,900,000": record["reachable_revenue"],
        "70,333.33": best["budget_needed"],
        "16,623.19": record["budget_needed"] - best["budget_needed"],
        "7,905.14": ranked["MQL -> SQL rate"]["budget_saved"],
        "4,989.31": ranked["Leads -> MQL rate"]["budget_saved"],
        "4,891.30": ranked["Events cost per unit"]["budget_saved"],
        "6,587.62": ranked["Visits -> Leads rate"]["top_saved"],
    }
    for shown, value in stated.items():
        assert shown in section, shown
        assert float(shown.replace(",", "")) == pytest.approx(value, abs=0.005), shown
    top_three = [w["input"] for w in record["whatif"]["ranked"][:3]]
    assert top_three == ["MQL -> SQL rate", "SQL -> Opportunities rate",
                         "Opportunities -> Customers rate"]  # fmt: skip
    assert "Paid search: at most 700 Leads; Content and SEO: at most 30 % of Leads" in section
    assert set(best["binding"]) == {"Paid search: at most 700 Leads",
                                    "Content and SEO: at most 30 % of Leads"}  # fmt: skip


def test_json_with_undefined_numbers_is_valid_json():
    # A goal of 0 customers leaves CAC undefined: the JSON said NaN there, 19 times, which
    # JSON readers refuse (issue 31's one JSON writer writes null, as documented).
    result = run("plan", "--customers", 0, "--channels", "examples/channels.csv",
                 "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output

    def refuse(token):
        raise ValueError(f"not JSON: {token}")

    document = json.loads(result.stdout, parse_constant=refuse)
    assert document["channels"][0]["cac"] is None
