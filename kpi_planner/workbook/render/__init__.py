"""Renderers of the workbook spec: the openpyxl file, the compiled template of a fill, a user's
own template, live xlwings.
"""
