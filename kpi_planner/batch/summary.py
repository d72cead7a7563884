"""The summary of a batch fill: one line per row of the user's table, whatever became of it.

Every row is there, in the table's order: written, skipped (its workbook was already
there), bad (every reason, once), or not written because the run was interrupted. Rows
are appended chunk by chunk to a temporary file that is renamed into place at the end, so
a summary is complete or absent, never cut short.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kpi_planner.files.atomic import create_temporary
from kpi_planner.files.csv_text import CsvWriter
from kpi_planner.inputs.tables import TableError, pyarrow_parquet

if TYPE_CHECKING:
    import pandas as pd

#: The KPI columns of the summary after the required volumes.
KPI_COLUMNS = ("PlannedCAC", "CustomerLifetimeValue", "LTVtoCAC", "ProjectedROI", "LifetimeROI")
#: The Channels sheet's budget columns, last: the built-in plan's (a user's template has none).
BUDGET_COLUMNS = ("BudgetNeeded", "BudgetGap", "ReachableRevenue")

#: The plan inputs each KPI of the summary depends on (for a user's template that lacks some).
KPI_INPUTS = {
    "customers_needed": ("revenue_goal", "deal_size"),
    "required": ("revenue_goal", "deal_size", "whole_numbers"),
    "PlannedCAC": ("revenue_goal", "deal_size", "whole_numbers", "marketing_budget"),
    "CustomerLifetimeValue": ("deal_size", "gross_margin", "churn_rate", "discount_rate"),
    "LTVtoCAC": ("revenue_goal", "deal_size", "whole_numbers", "marketing_budget",
                 "gross_margin", "churn_rate", "discount_rate"),
    "ProjectedROI": ("revenue_goal", "gross_margin", "marketing_budget"),
    "LifetimeROI": ("revenue_goal", "deal_size", "whole_numbers", "marketing_budget",
                    "gross_margin", "churn_rate", "discount_rate"),
}  # fmt: skip


def status_record(line: int, label: object, file: str, status: str) -> dict[str, object]:
    """A row's line of the summary without inputs or KPIs: its row number, name, file (""
    for none) and status; a bad row's, or any row's when no summary is written."""
    return {"row": line, "name": label, "file": file, "status": status}


def summary_record(
    line: int, label: object, path: Path, status: str, values: dict, by_name: dict,
    known: frozenset[str] | None,
) -> dict[str, object]:  # fmt: skip
    """One written (or skipped) row's line of the summary: its row number, name, file and
    status, its inputs (those a user's template sets, ``known``; None: the built-in plan)
    and the KPIs those inputs determine, from its outputs by name, ``by_name``."""
    record = status_record(line, label, path.name, status)
    record |= values if known is None else {k: v for k, v in values.items() if k in known}
    customers, required, kpis = _shown(known, len(by_name["RequiredAnnual"]))
    if customers:
        record["customers_needed"] = float(by_name["CustomersNeeded"])
    if required:
        for i, volume in enumerate(by_name["RequiredAnnual"], start=1):
            record[f"required_{i}"] = float(volume)
    for name in kpis:
        record[name] = float(by_name[name])
    return record


@cache
def _shown(known: frozenset[str] | None, count: int) -> tuple[bool, bool, tuple[str, ...]]:
    """What a row's summary record shows of its KPIs, for a template that sets ``known``
    inputs (None: the built-in plan, which sets them all) and a funnel of ``count``
    stages: whether customers needed and the required volumes, and which KPI columns (the
    built-in plan's budget columns too). A KPI shows only if every input it needs is set."""
    rates_known = known is None or all(f"rate_{i}" in known for i in range(1, count))

    def shown(name: str) -> bool:
        return known is None or (set(KPI_INPUTS[name]) <= known
                                 and (name in ("customers_needed", "ProjectedROI")
                                      or rates_known))  # fmt: skip

    kpis = tuple(name for name in KPI_COLUMNS if shown(name))
    budget = tuple(BUDGET_COLUMNS) if known is None else ()  # the built-in Channels sheet
    return shown("customers_needed"), shown("required"), kpis + budget


def summary_columns(input_columns: Sequence[str], stages: int, budget: bool = True) -> list[str]:
    """The summary's columns, in order, for plans of at most ``stages`` stages; ``budget``:
    with the budget the channels need (not for example channels, which no row typed:
    numbers from example data never pass as the user's)."""
    required = [f"required_{i}" for i in range(1, stages + 1)]
    return ["row", "name", "file", "status", *input_columns, "customers_needed", *required,
            *KPI_COLUMNS, *(BUDGET_COLUMNS if budget else ())]  # fmt: skip


#: The summary's own columns, as the file names them.
_OWN_NAMES = {"row": "Row", "name": "Name", "file": "File", "status": "Status",
              "customers_needed": "CustomersNeeded"}  # fmt: skip


def summary_names(columns: Sequence[str], plan_names: Mapping[str, str]) -> dict[str, str]:
    """Each summary column as the file names it, in one naming: the fill table's column
    names (``RevenueGoal``, ``StageRates1``: ``plan_names``, by scenario column), the KPIs'
    defined names, ``RequiredAnnual1..n`` for the volumes, and ``Row``, ``Name``,
    ``File``, ``Status``.

    >>> names = summary_names(["row", "revenue_goal", "required_2", "PlannedCAC"],
    ...                       {"revenue_goal": "RevenueGoal"})
    >>> list(names.values())
    ['Row', 'RevenueGoal', 'RequiredAnnual2', 'PlannedCAC']
    """
    names = {}
    for column in columns:
        if column.startswith("required_"):
            names[column] = f"RequiredAnnual{column.removeprefix('required_')}"
        else:
            names[column] = _OWN_NAMES.get(column, plan_names.get(column, column))
    return names


#: Columns of whole numbers: a bad row's blank must not turn them into floats in its chunk
#: alone (2027.0 beside 2027 in one CSV; a Parquet column typed by its first chunk).
_WHOLE_COLUMNS = ("row", "plan_year")


def _whole_numbers_kept(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its whole-number columns as nullable integers (blank stays blank)."""
    for column in _WHOLE_COLUMNS:
        if column in table.columns and table[column].dtype.kind == "f":
            values = table[column]
            if ((values % 1).fillna(0) == 0).all():  # a user's template may hold 2027.5
                table[column] = values.astype("Int64")
    return table


def check_summary_path(path: Path) -> None:
    """Refuse a summary that could not be written, before any workbook is."""
    if path.is_dir():
        raise TableError(f"--summary {path}: is a folder; give a file name such as summary.csv")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise TableError(f"--summary {path}: must end in .csv or .parquet")
    if suffix == ".parquet":
        pyarrow_parquet(path)
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise TableError(f"--summary {path}: {parent} is a file, not a folder")
            if not os.access(parent, os.W_OK):
                raise TableError(f"--summary {path}: cannot write into {parent}")
            break


class SummaryWriter:
    """Every row's inputs and KPIs, or its status, as CSV or Parquet, with fixed columns:
    records by ``columns``, the file's header by ``names`` (the column itself if none).

    In CSV, text that a spreadsheet would run as a formula gets a leading quote and a
    number is written as Excel shows it, to 15 significant digits (66000000, not
    66000000.000000015: a sum's binary noise is no digit of the plan). A summary with no
    rows still has its header.
    """

    def __init__(
        self, path: Path | None, columns: Sequence[str], names: Mapping[str, str] | None = None
    ) -> None:
        self.path = path
        self.columns = list(columns)
        #: The header: each column as the file names it (the fill table's names).
        self.header = [(names or {}).get(column, column) for column in self.columns]
        self._temporary: Path | None = None
        self._stream = None
        self._writer = None
        self._parquet = None
        self.rows = 0

    def __enter__(self) -> SummaryWriter:
        if self.path is not None:
            handle, name = create_temporary(self.path)
            os.close(handle)
            self._temporary = Path(name)
        return self

    def add(self, records: list[dict[str, object]]) -> None:
        """Append rows (dicts by column; missing columns stay blank)."""
        self.rows += len(records)
        if self._temporary is None or not records:
            return
        if self.path.suffix.lower() == ".parquet":
            self._add_parquet(records)
            return
        self._open_csv()
        # The writer prints a whole number (the row, a plan year of 2027.0) without ".0".
        self._writer.writerows([record.get(column) for column in self.columns]
                               for record in records)  # fmt: skip

    def _open_csv(self) -> None:
        if self._stream is None:
            self._stream = open(self._temporary, "w", encoding="utf-8", newline="")  # noqa: SIM115
            # The platform's line ending, as pandas' to_csv writes it (the summary's form
            # before it was written here).
            self._writer = CsvWriter(self._stream, lineterminator=os.linesep,
                                     number_format=".15g")  # fmt: skip
            self._writer.writerow(self.header)

    def _add_parquet(self, records: list[dict[str, object]]) -> None:
        pq = pyarrow_parquet(self.path)
        import pandas as pd
        import pyarrow as pa

        table = _whole_numbers_kept(
            pd.DataFrame.from_records(records).reindex(columns=self.columns)
        )

        text = ("name", "file", "status")
        table = table.astype({c: "string" for c in table.columns
                              if c in text or table[c].dtype == object})  # fmt: skip
        table.columns = self.header
        batch = pa.Table.from_pandas(table, preserve_index=False)
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self._temporary, self._schema(batch.schema))
        self._parquet.write_table(batch.cast(self._parquet.schema))

    def _schema(self, first):
        import pyarrow as pa

        # Columns all blank in the first chunk are typed by their kind, not as nulls.
        fields = []
        internal = dict(zip(self.header, self.columns, strict=True))
        for field in first:
            if pa.types.is_null(field.type):
                text = internal[field.name].startswith(("stage_", "chname_"))
                kind = pa.string() if text else pa.float64()
                field = field.with_type(kind)
            fields.append(field)
        return pa.schema(fields)

    def __exit__(self, kind, value, traceback) -> None:
        if self._temporary is None:
            return
        if kind is None and self._parquet is None and self.path.suffix.lower() == ".csv":
            self._open_csv()  # a summary of no rows still has its header
        for stream in (self._stream, self._parquet):
            if stream is not None:
                stream.close()
        if kind is None:
            if self._parquet is None and self.path.suffix.lower() == ".parquet":
                self._empty_parquet()
            os.replace(self._temporary, self.path)
        else:
            self._temporary.unlink(missing_ok=True)

    def _empty_parquet(self) -> None:
        pq = pyarrow_parquet(self.path)
        import pyarrow as pa

        schema = pa.schema([(c, pa.string()) for c in self.header])
        pq.write_table(schema.empty_table(), self._temporary)
