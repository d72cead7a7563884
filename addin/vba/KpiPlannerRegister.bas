Attribute VB_Name = "KpiPlannerRegister"
Option Explicit

Sub RegisterFunctions()
    On Error Resume Next
    Application.MacroOptions Macro:="ATTAINMENT", _
        Description:="Share of the plan reached: actual / planned (1 = on plan).", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Volume reached (leads, MQL, revenue...) in the period or to date.", "Planned volume for the same span.")
    Application.MacroOptions Macro:="CAC", _
        Description:="Customer acquisition cost: total spend / new customers.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Acquisition spend of the period: a number or a range of spend lines.", "New customers won in the same period.")
    Application.MacroOptions Macro:="CAC_PAYBACK", _
        Description:="Periods of gross margin needed to earn back CAC.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Customer acquisition cost.", "Revenue per customer per period, e.g. monthly.", "Gross margin as a fraction.")
    Application.MacroOptions Macro:="CLOSE_RATE_CURVE", _
        Description:="The close-rate curve of past opportunities: the share won in the period of creation, 1 period later, ..., each measured on the periods old enough to show it. A row.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("The date each opportunity was created (a column of dates).", "The date each was won, empty if it was not (a column of the same length).", """month"" (the default) or ""quarter"".", "The date the data runs to; default its latest date.")
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
    Application.MacroOptions Macro:="EXPECTED_CLOSES", _
        Description:="Deals expected to close each period: sum over k of curve[k] x opportunities created k periods earlier. A row, one value per period of generated.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Opportunities created each period, oldest first, past periods included.", "Close-rate curve: share of a period's opportunities won in it, 1 later, ... (a row or column range of fractions, adding up to at most 1).")
    Application.MacroOptions Macro:="FOCUS_AREA", _
        Description:="The stage to fix first, top down, and what to do about it; ""On plan"" if none.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Actual volume of each stage in the span, top stage first (a row or column).", "Planned volume of each stage in the same span, top stage first.", "How far below plan still counts as on plan; default 0.1 (10 %).")
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
    Application.MacroOptions Macro:="ROI", _
        Description:="Return on marketing investment, a ratio: (revenue x margin - investment - costs) / spend.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("Revenue attributed to the marketing.", "Marketing investment (above 0).", "Fraction of revenue that is gross profit; default 1.", "Overhead and other costs; default 0.")
    Application.MacroOptions Macro:="TIMELINE", _
        Description:="Each stage in the period it must arrive, from the lead-in before the year to its end: a table with the periods across and the stages down.", _
        Category:="KPI Planner", _
        ArgumentDescriptions:=Array("This year's revenue goal (with deal_size) or customers to win.", "Conversion rates between stages, top first, as fractions.", "Days each step takes, top down, one per pair of stages: 0,10,20,15,45.", "Next year's goal over this year's, e.g. 0.25 for 25 %. Default 0.", "Average revenue per new customer; empty when goal counts customers.", "12 for months (the default), 4 for quarters.", "TRUE: whole numbers, spread by cumulative rounding.", "The plan's year, to label the periods (e.g. 2027).")
End Sub
