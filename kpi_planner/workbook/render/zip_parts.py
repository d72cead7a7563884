"""Zip archives of parts deflated ahead of time: the .xlsx writer of the compiled templates
(:mod:`.compiled`, :mod:`.user_template`) and of the add-in (every entry stamped alike, so
the same parts always give the same bytes)."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

try:  # ISA-L (the `fast` extra): the same deflate format and CRC, about 3x and 10x faster
    from isal import isal_zlib as per_workbook_zlib
except ImportError:  # the standard library's, at its fastest level
    per_workbook_zlib = zlib


# 2026-01-01 00:00 as a DOS date and time, the stamp of every entry (as in xlsx.FIXED_TIME).
_DOS_TIME = 0
_DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1


@dataclass(frozen=True)
class Part:
    name: bytes
    crc: int
    size: int
    data: bytes  # as stored: a raw deflate stream, or the bytes themselves
    method: int = zipfile.ZIP_DEFLATED


def _deflate(data: bytes, once: bool) -> bytes:
    # A part compressed once for every workbook: smallest. A part per workbook: fastest
    # (level 1 of zlib and of ISA-L alike).
    # One call, not a compressor object: the same stream, without growing its output
    # buffer step by step and joining it to the flush (20 % of ISA-L's time on a sheet).
    module, level = (zlib, 9) if once else (per_workbook_zlib, 1)
    return module.compress(data, level, -15)  # wbits -15: a raw deflate stream, as zip has


def deflated_part(name: str, data: bytes, once: bool = False) -> Part:
    """A zip entry of ``data``, deflated: ``once`` for a part every workbook shares."""
    return Part(name.encode(), per_workbook_zlib.crc32(data), len(data), _deflate(data, once))


def zip_parts(parts: Sequence[Part]) -> bytes:
    """A zip archive (APPNOTE 6.3) of already-deflated parts, in order."""
    # The pieces are joined once at the end: a workbook is copied once, not grown in place.
    pieces, central = [], []
    offset = central_size = 0
    for part in parts:
        fields = (20, 0, part.method, _DOS_TIME, _DOS_DATE, part.crc, len(part.data), part.size)
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, len(part.name), 0)
        pieces += (header, part.name, part.data)
        entry = struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, len(part.name), 0, 0, 0, 0, 0, offset
        )
        central += (entry, part.name)
        offset += len(header) + len(part.name) + len(part.data)
        central_size += len(entry) + len(part.name)
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), central_size, offset, 0
    )
    return b"".join([*pieces, *central, end])
