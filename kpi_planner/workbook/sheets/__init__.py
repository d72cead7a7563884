"""The sheets of the plan workbook as data: each sheet's layout, formulas and values."""
