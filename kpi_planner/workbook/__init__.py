"""The plan workbook: defined once as data (:mod:`.plan` over :mod:`.spec`), rendered by
openpyxl headlessly (:mod:`.xlsx`); templates in ``workbooks/`` come from :mod:`.templates`.
"""
