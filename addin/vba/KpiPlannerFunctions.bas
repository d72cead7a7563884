Attribute VB_Name = "KpiPlannerFunctions"
Option Explicit
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel

Function ARR_BRIDGE(starting_arr, net_retention, gross_retention, target_arr)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ARR_BRIDGE = XLPy.CallUDF("kpi_planner_addin.functions", "ARR_BRIDGE", Array(starting_arr, net_retention, gross_retention, target_arr), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        ARR_BRIDGE = XLPy.CallUDF("kpi_planner_addin.functions", "ARR_BRIDGE", Array(starting_arr, net_retention, gross_retention, target_arr))
        Exit Function
    #End If
failed:
    ARR_BRIDGE = Err.Description
End Function

Function ATTAINMENT(actual, planned)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ATTAINMENT = XLPy.CallUDF("kpi_planner_addin.functions", "ATTAINMENT", Array(actual, planned), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        ATTAINMENT = XLPy.CallUDF("kpi_planner_addin.functions", "ATTAINMENT", Array(actual, planned))
        Exit Function
    #End If
failed:
    ATTAINMENT = Err.Description
End Function

Function BUDGET_NEEDED(goal, rates, shares, costs, Optional deal_size, Optional own_rates, Optional entry)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BUDGET_NEEDED = XLPy.CallUDF("kpi_planner_addin.functions", "BUDGET_NEEDED", Array(goal, rates, shares, costs, deal_size, own_rates, entry), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        BUDGET_NEEDED = XLPy.CallUDF("kpi_planner_addin.functions", "BUDGET_NEEDED", Array(goal, rates, shares, costs, deal_size, own_rates, entry))
        Exit Function
    #End If
failed:
    BUDGET_NEEDED = Err.Description
End Function

Function CAC(spend, new_customers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC = XLPy.CallUDF("kpi_planner_addin.functions", "CAC", Array(spend, new_customers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC = XLPy.CallUDF("kpi_planner_addin.functions", "CAC", Array(spend, new_customers))
        Exit Function
    #End If
failed:
    CAC = Err.Description
End Function

Function CAC_PAYBACK(acquisition_cost, revenue_per_period, gross_margin)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CAC_PAYBACK = XLPy.CallUDF("kpi_planner_addin.functions", "CAC_PAYBACK", Array(acquisition_cost, revenue_per_period, gross_margin), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CAC_PAYBACK = XLPy.CallUDF("kpi_planner_addin.functions", "CAC_PAYBACK", Array(acquisition_cost, revenue_per_period, gross_margin))
        Exit Function
    #End If
failed:
    CAC_PAYBACK = Err.Description
End Function

Function CHANNEL_BUDGET(goal, rates, shares, costs, Optional deal_size, Optional own_rates, Optional entry)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CHANNEL_BUDGET = XLPy.CallUDF("kpi_planner_addin.functions", "CHANNEL_BUDGET", Array(goal, rates, shares, costs, deal_size, own_rates, entry), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CHANNEL_BUDGET = XLPy.CallUDF("kpi_planner_addin.functions", "CHANNEL_BUDGET", Array(goal, rates, shares, costs, deal_size, own_rates, entry))
        Exit Function
    #End If
failed:
    CHANNEL_BUDGET = Err.Description
End Function

Function CLOSE_RATE_CURVE(created_dates, won_dates, Optional period, Optional as_of)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLOSE_RATE_CURVE = XLPy.CallUDF("kpi_planner_addin.functions", "CLOSE_RATE_CURVE", Array(created_dates, won_dates, period, as_of), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLOSE_RATE_CURVE = XLPy.CallUDF("kpi_planner_addin.functions", "CLOSE_RATE_CURVE", Array(created_dates, won_dates, period, as_of))
        Exit Function
    #End If
failed:
    CLOSE_RATE_CURVE = Err.Description
End Function

Function CLV(revenue_per_period, gross_margin, churn_rate, Optional discount_rate, Optional acquisition_cost, Optional horizon_periods)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CLV = XLPy.CallUDF("kpi_planner_addin.functions", "CLV", Array(revenue_per_period, gross_margin, churn_rate, discount_rate, acquisition_cost, horizon_periods), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CLV = XLPy.CallUDF("kpi_planner_addin.functions", "CLV", Array(revenue_per_period, gross_margin, churn_rate, discount_rate, acquisition_cost, horizon_periods))
        Exit Function
    #End If
failed:
    CLV = Err.Description
End Function

Function CONVERSION_RATE(converted, entered)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CONVERSION_RATE = XLPy.CallUDF("kpi_planner_addin.functions", "CONVERSION_RATE", Array(converted, entered), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        CONVERSION_RATE = XLPy.CallUDF("kpi_planner_addin.functions", "CONVERSION_RATE", Array(converted, entered))
        Exit Function
    #End If
failed:
    CONVERSION_RATE = Err.Description
End Function

Function COST_PER(spend, count)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        COST_PER = XLPy.CallUDF("kpi_planner_addin.functions", "COST_PER", Array(spend, count), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        COST_PER = XLPy.CallUDF("kpi_planner_addin.functions", "COST_PER", Array(spend, count))
        Exit Function
    #End If
failed:
    COST_PER = Err.Description
End Function

Function DAY_ONE_PIPELINE(quarter_target, coverage)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        DAY_ONE_PIPELINE = XLPy.CallUDF("kpi_planner_addin.functions", "DAY_ONE_PIPELINE", Array(quarter_target, coverage), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        DAY_ONE_PIPELINE = XLPy.CallUDF("kpi_planner_addin.functions", "DAY_ONE_PIPELINE", Array(quarter_target, coverage))
        Exit Function
    #End If
failed:
    DAY_ONE_PIPELINE = Err.Description
End Function

Function EXPECTED_CLOSES(generated, curve)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXPECTED_CLOSES = XLPy.CallUDF("kpi_planner_addin.functions", "EXPECTED_CLOSES", Array(generated, curve), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        EXPECTED_CLOSES = XLPy.CallUDF("kpi_planner_addin.functions", "EXPECTED_CLOSES", Array(generated, curve))
        Exit Function
    #End If
failed:
    EXPECTED_CLOSES = Err.Description
End Function

Function FOCUS_AREA(actual_volumes, planned_volumes, Optional tolerance, Optional rates)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FOCUS_AREA = XLPy.CallUDF("kpi_planner_addin.functions", "FOCUS_AREA", Array(actual_volumes, planned_volumes, tolerance, rates), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        FOCUS_AREA = XLPy.CallUDF("kpi_planner_addin.functions", "FOCUS_AREA", Array(actual_volumes, planned_volumes, tolerance, rates))
        Exit Function
    #End If
failed:
    FOCUS_AREA = Err.Description
End Function

Function FORECAST_LANDING(closed, amounts, probabilities, Optional planned, Optional goal)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FORECAST_LANDING = XLPy.CallUDF("kpi_planner_addin.functions", "FORECAST_LANDING", Array(closed, amounts, probabilities, planned, goal), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        FORECAST_LANDING = XLPy.CallUDF("kpi_planner_addin.functions", "FORECAST_LANDING", Array(closed, amounts, probabilities, planned, goal))
        Exit Function
    #End If
failed:
    FORECAST_LANDING = Err.Description
End Function

Function FUNNEL_FORWARD(top_volume, rates, Optional deal_size, Optional whole_numbers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FUNNEL_FORWARD = XLPy.CallUDF("kpi_planner_addin.functions", "FUNNEL_FORWARD", Array(top_volume, rates, deal_size, whole_numbers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        FUNNEL_FORWARD = XLPy.CallUDF("kpi_planner_addin.functions", "FUNNEL_FORWARD", Array(top_volume, rates, deal_size, whole_numbers))
        Exit Function
    #End If
failed:
    FUNNEL_FORWARD = Err.Description
End Function

Function FUNNEL_REQUIRED(goal, rates, Optional deal_size, Optional periods, Optional whole_numbers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FUNNEL_REQUIRED = XLPy.CallUDF("kpi_planner_addin.functions", "FUNNEL_REQUIRED", Array(goal, rates, deal_size, periods, whole_numbers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        FUNNEL_REQUIRED = XLPy.CallUDF("kpi_planner_addin.functions", "FUNNEL_REQUIRED", Array(goal, rates, deal_size, periods, whole_numbers))
        Exit Function
    #End If
failed:
    FUNNEL_REQUIRED = Err.Description
End Function

Function GOAL_STATUS(baseline, target, start, deadline, current, Optional today, Optional owner)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        GOAL_STATUS = XLPy.CallUDF("kpi_planner_addin.functions", "GOAL_STATUS", Array(baseline, target, start, deadline, current, today, owner), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        GOAL_STATUS = XLPy.CallUDF("kpi_planner_addin.functions", "GOAL_STATUS", Array(baseline, target, start, deadline, current, today, owner))
        Exit Function
    #End If
failed:
    GOAL_STATUS = Err.Description
End Function

Function HEADCOUNT_NEEDED(volumes, capacity)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEADCOUNT_NEEDED = XLPy.CallUDF("kpi_planner_addin.functions", "HEADCOUNT_NEEDED", Array(volumes, capacity), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        HEADCOUNT_NEEDED = XLPy.CallUDF("kpi_planner_addin.functions", "HEADCOUNT_NEEDED", Array(volumes, capacity))
        Exit Function
    #End If
failed:
    HEADCOUNT_NEEDED = Err.Description
End Function

Function LTV_CAC(lifetime_value, acquisition_cost)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LTV_CAC = XLPy.CallUDF("kpi_planner_addin.functions", "LTV_CAC", Array(lifetime_value, acquisition_cost), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        LTV_CAC = XLPy.CallUDF("kpi_planner_addin.functions", "LTV_CAC", Array(lifetime_value, acquisition_cost))
        Exit Function
    #End If
failed:
    LTV_CAC = Err.Description
End Function

Function NPS(scores, Optional passives, Optional detractors)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        NPS = XLPy.CallUDF("kpi_planner_addin.functions", "NPS", Array(scores, passives, detractors), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        NPS = XLPy.CallUDF("kpi_planner_addin.functions", "NPS", Array(scores, passives, detractors))
        Exit Function
    #End If
failed:
    NPS = Err.Description
End Function

Function PIPELINE_GAP(generated, curve, needed)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PIPELINE_GAP = XLPy.CallUDF("kpi_planner_addin.functions", "PIPELINE_GAP", Array(generated, curve, needed), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PIPELINE_GAP = XLPy.CallUDF("kpi_planner_addin.functions", "PIPELINE_GAP", Array(generated, curve, needed))
        Exit Function
    #End If
failed:
    PIPELINE_GAP = Err.Description
End Function

Function PIPELINE_PACING(pipeline_now, day_one_target, Optional share_by_now)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PIPELINE_PACING = XLPy.CallUDF("kpi_planner_addin.functions", "PIPELINE_PACING", Array(pipeline_now, day_one_target, share_by_now), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        PIPELINE_PACING = XLPy.CallUDF("kpi_planner_addin.functions", "PIPELINE_PACING", Array(pipeline_now, day_one_target, share_by_now))
        Exit Function
    #End If
failed:
    PIPELINE_PACING = Err.Description
End Function

Function RAMPED_CAPACITY(heads, ramp_shares)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RAMPED_CAPACITY = XLPy.CallUDF("kpi_planner_addin.functions", "RAMPED_CAPACITY", Array(heads, ramp_shares), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        RAMPED_CAPACITY = XLPy.CallUDF("kpi_planner_addin.functions", "RAMPED_CAPACITY", Array(heads, ramp_shares))
        Exit Function
    #End If
failed:
    RAMPED_CAPACITY = Err.Description
End Function

Function RAMPED_OUTPUT(steady, ramp, Optional periods)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RAMPED_OUTPUT = XLPy.CallUDF("kpi_planner_addin.functions", "RAMPED_OUTPUT", Array(steady, ramp, periods), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        RAMPED_OUTPUT = XLPy.CallUDF("kpi_planner_addin.functions", "RAMPED_OUTPUT", Array(steady, ramp, periods))
        Exit Function
    #End If
failed:
    RAMPED_OUTPUT = Err.Description
End Function

Function RAMP_WEIGHTS(targets, Optional seasonality)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RAMP_WEIGHTS = XLPy.CallUDF("kpi_planner_addin.functions", "RAMP_WEIGHTS", Array(targets, seasonality), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        RAMP_WEIGHTS = XLPy.CallUDF("kpi_planner_addin.functions", "RAMP_WEIGHTS", Array(targets, seasonality))
        Exit Function
    #End If
failed:
    RAMP_WEIGHTS = Err.Description
End Function

Function REACHABLE_REVENUE(budget, rates, shares, costs, deal_size, Optional own_rates, Optional entry)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REACHABLE_REVENUE = XLPy.CallUDF("kpi_planner_addin.functions", "REACHABLE_REVENUE", Array(budget, rates, shares, costs, deal_size, own_rates, entry), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        REACHABLE_REVENUE = XLPy.CallUDF("kpi_planner_addin.functions", "REACHABLE_REVENUE", Array(budget, rates, shares, costs, deal_size, own_rates, entry))
        Exit Function
    #End If
failed:
    REACHABLE_REVENUE = Err.Description
End Function

Function ROI(revenue, investment, Optional gross_margin, Optional other_costs)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROI = XLPy.CallUDF("kpi_planner_addin.functions", "ROI", Array(revenue, investment, gross_margin, other_costs), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        ROI = XLPy.CallUDF("kpi_planner_addin.functions", "ROI", Array(revenue, investment, gross_margin, other_costs))
        Exit Function
    #End If
failed:
    ROI = Err.Description
End Function

Function SEGMENT_ROLLUP(stage_names, volumes, Optional segment_names)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SEGMENT_ROLLUP = XLPy.CallUDF("kpi_planner_addin.functions", "SEGMENT_ROLLUP", Array(stage_names, volumes, segment_names), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SEGMENT_ROLLUP = XLPy.CallUDF("kpi_planner_addin.functions", "SEGMENT_ROLLUP", Array(stage_names, volumes, segment_names))
        Exit Function
    #End If
failed:
    SEGMENT_ROLLUP = Err.Description
End Function

Function SENSITIVITY(goal, rates, names, shares, costs, Optional deal_size, Optional own_rates, Optional step, Optional entry)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SENSITIVITY = XLPy.CallUDF("kpi_planner_addin.functions", "SENSITIVITY", Array(goal, rates, names, shares, costs, deal_size, own_rates, step, entry), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SENSITIVITY = XLPy.CallUDF("kpi_planner_addin.functions", "SENSITIVITY", Array(goal, rates, names, shares, costs, deal_size, own_rates, step, entry))
        Exit Function
    #End If
failed:
    SENSITIVITY = Err.Description
End Function

Function SOURCED_DEALS(goal, share, deal_size, Optional whole_numbers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SOURCED_DEALS = XLPy.CallUDF("kpi_planner_addin.functions", "SOURCED_DEALS", Array(goal, share, deal_size, whole_numbers), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        SOURCED_DEALS = XLPy.CallUDF("kpi_planner_addin.functions", "SOURCED_DEALS", Array(goal, share, deal_size, whole_numbers))
        Exit Function
    #End If
failed:
    SOURCED_DEALS = Err.Description
End Function

Function TIMELINE(goal, rates, lag_days, Optional growth, Optional deal_size, Optional periods, Optional whole_numbers, Optional plan_year, Optional fiscal_year_start, Optional fiscal_year_named_by)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        TIMELINE = XLPy.CallUDF("kpi_planner_addin.functions", "TIMELINE", Array(goal, rates, lag_days, growth, deal_size, periods, whole_numbers, plan_year, fiscal_year_start, fiscal_year_named_by), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        TIMELINE = XLPy.CallUDF("kpi_planner_addin.functions", "TIMELINE", Array(goal, rates, lag_days, growth, deal_size, periods, whole_numbers, plan_year, fiscal_year_start, fiscal_year_named_by))
        Exit Function
    #End If
failed:
    TIMELINE = Err.Description
End Function

Function WEIGHTED_PIPELINE(amounts, probabilities)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        WEIGHTED_PIPELINE = XLPy.CallUDF("kpi_planner_addin.functions", "WEIGHTED_PIPELINE", Array(amounts, probabilities), ActiveWorkbook, Application.Caller)
        Exit Function
    #Else
        WEIGHTED_PIPELINE = XLPy.CallUDF("kpi_planner_addin.functions", "WEIGHTED_PIPELINE", Array(amounts, probabilities))
        Exit Function
    #End If
failed:
    WEIGHTED_PIPELINE = Err.Description
End Function

