"""What users give: typed values, tables of scenarios and channels, plan files, a workbook's
named cells.
"""
