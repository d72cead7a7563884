"""Record what every case of :mod:`tests.golden.cases` leaves, as the expected output.

Run from the repository's root, on the commit whose behaviour is the reference::

    python -m tests.golden.record
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tests.golden.cases import CASES, EXPECTED, ROOT, dump, expected_path, run


def main() -> None:
    os.chdir(ROOT)
    EXPECTED.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for case in CASES:
            expected_path(case).write_text(dump(run(case, Path(scratch) / "out")), "utf-8")
            print(f"recorded {case.name}")


if __name__ == "__main__":
    main()
