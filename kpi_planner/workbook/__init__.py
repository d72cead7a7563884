"""The plan workbook: defined once as data (the sheets of :mod:`.sheets`, in the terms of
:mod:`.spec`), put together by :mod:`.book`, rendered by openpyxl headlessly
(:mod:`.render.xlsx`); templates in ``workbooks/`` come from :mod:`.templates`.
"""
