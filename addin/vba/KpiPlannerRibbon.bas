Attribute VB_Name = "KpiPlannerRibbon"
Option Explicit

Sub KpiPlanner_BuildPlanSheet(control As IRibbonControl)
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.build_plan_sheet()"
End Sub

Sub KpiPlanner_Refresh(control As IRibbonControl)
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.refresh()"
End Sub

Sub KpiPlanner_Help(control As IRibbonControl)
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.show_help()"
End Sub
