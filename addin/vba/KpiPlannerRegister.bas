Attribute VB_Name = "KpiPlannerRegister"
Option Explicit

Sub RegisterFunctions()
    On Error Resume Next
    Application.MacroOptions Macro:="ARR_BRIDGE", _
        Description:="The year's ARR bridge, and what new logos must bring: a table of labels and amounts (starting ARR, expansion, churn and contraction as a negative, new logos, ending ARR).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Annual recurring revenue at the start of the year.", "Net revenue retention (NRR), expansion included, as a fraction: 1.1 or 110% for 110 %.", "Gross revenue retention (GRR), without expansion, as a fraction: 0.9 or 90%; at most net_retention.", "The ARR the year must end with.")
    Application.MacroOptions Macro:="ATTAINMENT", _
        Description:="Share of the plan reached: actual / planned (1 = on plan).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Volume reached (leads, MQL, revenue...) in the period or to date.", "Planned volume for the same span.")
    Application.MacroOptions Macro:="BUDGET_NEEDED", _
        Description:="The marketing budget the goal needs with this channel mix, bottom-up: customers x sum(share x cost per unit) / sum(share x customers per unit).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue goal (with deal_size) or customers to win, for the year.", "Conversion rates between stages, top first, as fractions (a row or column range).", "Each channel's share of the entry stage (leads), adding up to 1: a row or column range, e.g. 0.5, 0.3, 0.2.", "Each channel's cost per unit of the entry stage (cost per lead), in the same order.", "Average revenue per new customer; empty when goal counts customers.", "Optional: each channel's own rates from the entry stage down, one row per channel; an empty cell keeps the plan's rate.", "Optional: the stage the channels bring and are paid for; default ""Leads"".")
    Application.MacroOptions Macro:="CAC", _
        Description:="Customer acquisition cost: total spend / new customers.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Acquisition spend of the period: a number or a range of spend lines.", "New customers won in the same period.")
    Application.MacroOptions Macro:="CAC_PAYBACK", _
        Description:="Periods of gross margin needed to earn back CAC.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Customer acquisition cost.", "Revenue per customer per period, e.g. monthly.", "Gross margin as a fraction.")
    Application.MacroOptions Macro:="CHANNEL_BUDGET", _
        Description:="Each channel's budget for the goal: its share of the entry stage x its cost per unit, the entry volume being what the mix needs to win the customers. A column, one value per channel.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue goal (with deal_size) or customers to win, for the year.", "Conversion rates between stages, top first, as fractions (a row or column range).", "Each channel's share of the entry stage (leads), adding up to 1: a row or column range, e.g. 0.5, 0.3, 0.2.", "Each channel's cost per unit of the entry stage (cost per lead), in the same order.", "Average revenue per new customer; empty when goal counts customers.", "Optional: each channel's own rates from the entry stage down, one row per channel; an empty cell keeps the plan's rate.", "Optional: the stage the channels bring and are paid for; default ""Leads"".")
    Application.MacroOptions Macro:="CLOSE_RATE_CURVE", _
        Description:="The close-rate curve of past opportunities: the share won in the period of creation, 1 period later, ..., each measured on the periods old enough to show it. A row.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The date each opportunity was created (a column of dates, or text as 2027-01-31).", "The date each was won, empty if it was not (a column of the same length).", """month"" (the default) or ""quarter"".", "The date the data runs to; default its latest date.")
    Application.MacroOptions Macro:="CLV", _
        Description:="Customer lifetime value: margin per period earned while the customer stays.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue per customer per period.", "Gross margin as a fraction, e.g. 0.8.", "Share of customers lost each period, e.g. 0.2.", "Discount rate per period; default 0.", "CAC to subtract for net CLV; default 0.", "Periods to count; empty for the whole lifetime.")
    Application.MacroOptions Macro:="CONVERSION_RATE", _
        Description:="Conversion rate between two stages: converted / entered.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Count that reached the next stage.", "Count that entered the stage.")
    Application.MacroOptions Macro:="COST_PER", _
        Description:="Cost per unit at a stage: spend / count (cost per lead, per MQL, per SQL...).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Spend of the period: a number or a range of spend lines.", "Volume reached at the stage in the same period (leads, MQL...).")
    Application.MacroOptions Macro:="DAY_ONE_PIPELINE", _
        Description:="The pipeline a quarter should start with: its target x the coverage. =DAY_ONE_PIPELINE(20000000, 3.5) is 70,000,000.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Next quarter's revenue target.", "The pipeline coverage it should start with: 3 for 3x.")
    Application.MacroOptions Macro:="EXPECTED_CLOSES", _
        Description:="Deals expected to close each period: sum over k of curve[k] x opportunities created k periods earlier. A row, one value per period of generated.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Opportunities created each period, oldest first, past periods included.", "Close-rate curve: share of a period's opportunities won in it, 1 later, ... (a row or column range of fractions, adding up to at most 1).")
    Application.MacroOptions Macro:="FOCUS_AREA", _
        Description:="The stage to fix first, top down, and what to do about it; ""On plan"" if none.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Actual volume of each stage in the span, top stage first (a row or column).", "Planned volume of each stage in the same span, top stage first.", "How far below plan still counts as on plan; default 0.1 (10 %).", "Optional: the plan's conversion rates, top first (e.g. StageRates): each stage's rate is judged against them, not the planned volumes' ratio.")
    Application.MacroOptions Macro:="FORECAST_LANDING", _
        Description:="Where the year lands: closed + open deals weighted + planned, the gap to the goal, and the range (P10, P50, P90, the chance of the goal; each deal won or lost on its own). A table of labels and values.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue won so far this year.", "Each open opportunity closing this year: its amount (a column).", "Each one's chance to be won (a column beside the amounts).", "Revenue expected from opportunities still to be created. Default 0.", "The year's revenue goal: adds the gap and the chance of reaching it.")
    Application.MacroOptions Macro:="FUNNEL_FORWARD", _
        Description:="Projected volume of each stage from the top one (and the revenue): a vertical array.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Volume of the top stage (e.g. website visits) in a period.", "Conversion rates between stages, top first, as fractions.", "Average revenue per new customer; adds the revenue as a last row.", "TRUE rounds down to whole numbers stage by stage from the top.")
    Application.MacroOptions Macro:="FUNNEL_REQUIRED", _
        Description:="Volume each funnel stage needs to reach a goal: a vertical array, top stage first.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue goal (with deal_size) or customers to win, for the whole year.", "Conversion rates between stages, top first, as fractions: a row or column range, e.g. 0.015, 0.2, 0.2, 0.4, 0.5.", "Average revenue per new customer. Leave empty when goal counts customers.", "Divide the year into this many periods: 12 = monthly. Default 1.", "TRUE rounds up to whole numbers stage by stage from the bottom.")
    Application.MacroOptions Macro:="GOAL_STATUS", _
        Description:="Status of a SMART goal today: on track, at risk, off track, met or not started.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The metric's value when the goal started.", "The value to reach by the deadline (may be below the baseline).", "Start date of the goal.", "Deadline of the goal.", "The metric's value today.", "The day to judge; default today.", "Who is accountable; a goal without one is not SMART.")
    Application.MacroOptions Macro:="HEADCOUNT_NEEDED", _
        Description:="Whole people each period's volume needs: volume / capacity, rounded up. A row. =HEADCOUNT_NEEDED(400,40) is 10 (10 SDRs at 40 demos a month for 400 demos).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The stage's volume each period (a range, or one number).", "What one fully ramped person handles of the stage a period.")
    Application.MacroOptions Macro:="LTV_CAC", _
        Description:="LTV:CAC ratio: lifetime value per unit of acquisition cost (3 is the usual target).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Customer lifetime value (gross, before CAC).", "Customer acquisition cost (above 0).")
    Application.MacroOptions Macro:="NPS", _
        Description:="Net Promoter Score, -100 to 100: from a range of 0-10 answers, or from counts.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("A range of 0-10 answers (empty cells are skipped), or the number of promoters when passives and detractors are given.", "Number of passives (7-8), to compute from counts.", "Number of detractors (0-6), to compute from counts.")
    Application.MacroOptions Macro:="PIPELINE_GAP", _
        Description:="Expected closes less the deals needed, per plan period: a surplus (+) or gap (-). A row, one value per period of needed.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Opportunities created each period, from the oldest that still closes deals to the plan's last.", "Close-rate curve: share of a period's opportunities won in it, 1 later, ... (a row or column range of fractions, adding up to at most 1).", "Deals each plan period needs (the last periods): goal / deal size per period.")
    Application.MacroOptions Macro:="PIPELINE_PACING", _
        Description:="The pipeline in hand against what is needed by now (day-one target x share by now): 1 is on pace. =PIPELINE_PACING(650000, 1000000) is 0.65; =PIPELINE_PACING(975000, 1500000, 0.65) is 1.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Next quarter's pipeline in hand today.", "The pipeline next quarter should start with (DAY_ONE_PIPELINE).", "Of a day-one pipeline, the share a typical quarter had built by this day of the quarter before: 0.65 for 65 %. Default 1 (all of it).")
    Application.MacroOptions Macro:="RAMPED_CAPACITY", _
        Description:="Ramped-rep equivalents: each group of people counted at its ramp share (Kellblog). =RAMPED_CAPACITY({5;3;2;15},{0.25;0.6;0.85;1}) is 19.75.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("People in each group (a range), e.g. by tenure.", "Each group's share of full capacity: 0.25 for 25 % (a range beside heads).")
    Application.MacroOptions Macro:="RAMPED_OUTPUT", _
        Description:="What one person hired at the start delivers each period as they ramp: a row. =RAMPED_OUTPUT(300000,{0,0.25,0.5}) spills 0, 75,000, 150,000, 300,000.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("What one fully ramped person delivers a period (a quota, deals, meetings).", "Shares of full capacity by period of tenure, first first: 0, 0.25, 0.5 (100 % after).", "Periods to show, from the hire. Default 4.")
    Application.MacroOptions Macro:="RAMP_WEIGHTS", _
        Description:="Quarterly or monthly targets as the plan's 12 monthly seasonality weights (a row): each month's share of its quarter's target; they add up to the year's goal.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("4 quarterly or 12 monthly revenue targets (a row or column range).", "Optional, with quarterly targets: 12 monthly weights that split each quarter between its months; default evenly.")
    Application.MacroOptions Macro:="REACHABLE_REVENUE", _
        Description:="The revenue a budget can reach with this channel mix: the plan run forward (budget / sum(share x cost per unit) x customers per unit x deal size).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The marketing budget to spend.", "Conversion rates between stages, top first, as fractions (a row or column range).", "Each channel's share of the entry stage (leads), adding up to 1: a row or column range, e.g. 0.5, 0.3, 0.2.", "Each channel's cost per unit of the entry stage (cost per lead), in the same order.", "Average revenue per new customer.", "Optional: each channel's own rates from the entry stage down, one row per channel; an empty cell keeps the plan's rate.", "Optional: the stage the channels bring and are paid for; default ""Leads"".")
    Application.MacroOptions Macro:="ROI", _
        Description:="Return on marketing investment, a ratio: (revenue x margin - investment - costs) / spend.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue attributed to the marketing.", "Marketing investment (above 0).", "Fraction of revenue that is gross profit; default 1.", "Overhead and other costs; default 0.")
    Application.MacroOptions Macro:="SEGMENT_ROLLUP", _
        Description:="Several segments' funnels added up by stage name: a table of the company's stages, top first, and each one's total volume over the segments that have it.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Each segment's stage names, top first: one row per segment, stages across; a shorter funnel leaves its last cells empty.", "Each stage's volume, in the same shape as stage_names.", "Optional: each segment's name, one per row (for the messages).")
    Application.MacroOptions Macro:="SENSITIVITY", _
        Description:="Each input (rates, deal size, each channel's cost and own rates) improved by step, ranked by the budget it saves: a table with a header row (input, budget saved, top stage's volume saved) that spills down.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue goal (with deal_size) or customers to win, for the year.", "Conversion rates between stages, top first, as fractions (a row or column range).", "Each channel's name, in the order of shares.", "Each channel's share of the entry stage (leads), adding up to 1: a row or column range, e.g. 0.5, 0.3, 0.2.", "Each channel's cost per unit of the entry stage (cost per lead), in the same order.", "Average revenue per new customer; empty when goal counts customers.", "Optional: each channel's own rates from the entry stage down, one row per channel; an empty cell keeps the plan's rate.", "The improvement tried: 0.1 (the default) for 10 % better, -0.1 worse.", "Optional: the stage the channels bring and are paid for; default ""Leads"".")
    Application.MacroOptions Macro:="SOURCED_DEALS", _
        Description:="The deals a source (marketing, partners, SDRs) must bring for its share of the goal: goal x share / deal size, rounded up to whole deals.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The company's revenue goal.", "The source's share of it, as a fraction: 0.25 or 25%.", "The source's average revenue per deal.", "TRUE (the default) rounds up to whole deals; FALSE gives the exact number.")
    Application.MacroOptions Macro:="TIMELINE", _
        Description:="Each stage in the period it must arrive, from the lead-in before the year to its end: a table with the periods across and the stages down (a fiscal year's periods from its first month).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("This year's revenue goal (with deal_size) or customers to win.", "Conversion rates between stages, top first, as fractions.", "Days each step takes, top down, one per pair of stages: 0,10,20,15,45.", "Next year's goal over this year's, e.g. 0.25 for 25 % (up to 1). Default 0.", "Average revenue per new customer; empty when goal counts customers.", "12 for months (the default), 4 for quarters (the months added up).", "TRUE: whole numbers, spread by cumulative rounding.", "The plan's year, to label the periods (e.g. 2027): a fiscal year's name.", "The fiscal year's first month: 4 or April (default 1, January).", """end"" (the default: FY2028 from April is Apr 2027 - Mar 2028) or ""start"".")
    Application.MacroOptions Macro:="WEIGHTED_PIPELINE", _
        Description:="Expected revenue of open opportunities: the sum of amount x probability (Salesforce's expected revenue). =WEIGHTED_PIPELINE({200000;50000}, {0.3;0.8}) is 100,000.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Each open opportunity's amount (a column).", "Each one's chance to be won, as fractions: 0.3 or 30% (a column beside the amounts).")
End Sub
