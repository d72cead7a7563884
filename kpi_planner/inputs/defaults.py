"""Defaults the command line needs before it imports the engine (kept light to import)."""

#: The plan year of the built-in example and of a plan that does not say.
DEFAULT_PLAN_YEAR = 2027

#: The plan years a workbook can show: Excel's dates start on 1 January 1900 (the Goals
#: sheet's dates and the timeline's months must be days it can show), and the Plan sheet's
#: own validation stops at 2200.
FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 1900, 2200

#: The rule a plan year breaks, as messages word it.
PLAN_YEAR_RULE = f"must be a whole year from {FIRST_PLAN_YEAR} to {LAST_PLAN_YEAR}, such as 2027"


def is_plan_year(value: object) -> bool:
    """Whether ``value`` is a plan year a workbook can show: a whole number (not TRUE or
    FALSE) from :data:`FIRST_PLAN_YEAR` to :data:`LAST_PLAN_YEAR`.

    >>> is_plan_year(2027), is_plan_year(2027.0), is_plan_year(2027.5), is_plan_year(1899)
    (True, True, False, False)
    """
    if isinstance(value, bool):
        return False
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number.is_integer() and FIRST_PLAN_YEAR <= number <= LAST_PLAN_YEAR
