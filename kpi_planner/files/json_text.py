"""Every JSON document kpi-planner writes (``--format json``, ``--json FILE``), through one
function, so all are valid JSON and alike: indented by 2, one newline at the end.

JSON has no NaN or infinity; Python's ``json`` writes them as ``NaN`` and ``Infinity``,
which other JSON readers refuse. Here a number that is not finite (an undefined CAC, a
coverage with nothing needed) is ``null``, the value the documents use for "none". numpy's
numbers are written as the numbers they are; dates, paths and other values as their text.
Light to import (no numpy): the command line loads it before any command runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping


def json_text(document: object) -> str:
    """``document`` as JSON text: 2-space indents, a final newline, non-finite numbers as
    ``null``.

    >>> import numpy as np
    >>> print(json_text({"cac": float("nan"), "volumes": [1.5, float("inf")], "n": np.int64(3)}),
    ...       end="")
    {
      "cac": null,
      "volumes": [
        1.5,
        null
      ],
      "n": 3
    }
    """
    return json.dumps(_plain(document), indent=2, allow_nan=False, default=str) + "\n"


def _plain(value: object) -> object:
    if type(value).__module__ == "numpy":  # a numpy number or array, without importing numpy
        value = value.tolist()  # type: ignore[attr-defined]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
