Attribute VB_Name = "KpiPlannerRibbon"
Option Explicit

Sub KpiPlanner_OnLoad(ribbon As IRibbonUI)
    RegisterFunctions
End Sub

Sub KpiPlanner_BuildPlanSheet(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.build_plan_sheet()"
End Sub

Sub KpiPlanner_Refresh(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.refresh()"
End Sub

Sub KpiPlanner_OptimiseChannelMix(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.optimise_channel_mix()"
End Sub

Sub KpiPlanner_AddTrackingSheets(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.add_tracking_sheets()"
End Sub

Sub KpiPlanner_Diagnose(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.diagnose()"
End Sub

Sub KpiPlanner_SelfTest(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.self_test()"
End Sub

Sub KpiPlanner_Help(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open or create a workbook first: KPI Planner works on the active workbook.", vbInformation, "KPI Planner"
        Exit Sub
    End If
    RunPython "import kpi_planner_addin.ribbon; kpi_planner_addin.ribbon.show_help()"
End Sub
