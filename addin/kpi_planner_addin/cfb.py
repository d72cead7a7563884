"""Write a Compound File Binary ([MS-CFB] version 3): the container of a vbaProject.bin.

A small writer for a small file: 512-byte sectors, streams under 4096 bytes in the mini
stream (64-byte mini sectors), one FAT long enough for everything, the DIFAT in the header
(up to 109 FAT sectors, 6.9 MB, far more than a VBA project needs). Each storage's children
form a balanced binary search tree in the order the format sorts names (length first, then
case-insensitively), all nodes black: readers follow the tree, they do not re-balance it.
olefile reads the result back in the tests.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    index: int = 0
    start: int = END
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM


def _key(entry: _Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(entries: list[_Entry]) -> int:
    """Link ``entries`` (sorted) into a balanced tree; returns the root's index."""
    if not entries:
        return NO_STREAM
    middle = len(entries) // 2
    root = entries[middle]
    root.left = _tree(entries[:middle])
    root.right = _tree(entries[middle + 1 :])
    return root.index


def _chain(fat: list[int], first: int, count: int) -> None:
    for sector in range(first, first + count):
        fat[sector] = sector + 1 if sector < first + count - 1 else END


def write(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams``, keyed by path: ``"VBA/dir"``, ``"PROJECT"``."""
    root, entries = _entries(streams)
    mini_stream, mini_fat = _mini_stream(entries)
    # Sectors: big streams, the mini stream, the mini FAT, the directory, then the FAT.
    sectors = _Sectors()
    for entry in entries:
        if entry.kind == _STREAM and len(entry.data) >= MINI_CUTOFF:
            entry.start = sectors.place(entry.data)
    root.start, root.data = sectors.place(bytes(mini_stream)), bytes(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    mini_fat_bytes += struct.pack("<I", FREE) * (-len(mini_fat) % (SECTOR // 4))
    first_mini_fat = sectors.place(mini_fat_bytes) if mini_fat else END
    directory = b"".join(_directory_entry(entry) for entry in entries)
    directory += _empty_entry() * (-len(entries) % (SECTOR // 128))
    first_directory = sectors.place(directory)
    first_fat, fat_sectors = sectors.place_fat()
    mini_fat_sectors = len(mini_fat_bytes) // SECTOR if mini_fat else 0
    header = _header(first_fat, fat_sectors, first_directory, first_mini_fat, mini_fat_sectors)
    return header + bytes(sectors.body)


def _entries(streams: dict[str, bytes]) -> tuple[_Entry, list[_Entry]]:
    """The root and every directory entry, numbered in order and linked into their trees."""
    root = _Entry("Root Entry", _ROOT)
    storages = {"": root}
    for path in sorted(streams):
        parts = path.split("/")
        parent = root
        for depth in range(1, len(parts)):
            key = "/".join(parts[:depth])
            if key not in storages:
                storages[key] = _Entry(parts[depth - 1], _STORAGE)
                parent.children.append(storages[key])
            parent = storages[key]
        parent.children.append(_Entry(parts[-1], _STREAM, streams[path]))
    entries: list[_Entry] = []

    def number(entry: _Entry) -> None:
        entry.index = len(entries)
        entries.append(entry)
        for child in sorted(entry.children, key=_key):
            number(child)

    number(root)
    for entry in entries:
        entry.child = _tree(sorted(entry.children, key=_key))
    return root, entries


def _mini_stream(entries: list[_Entry]) -> tuple[bytearray, list[int]]:
    """The mini stream: every stream under the cutoff, in 64-byte mini sectors; its FAT."""
    mini_stream, mini_fat = bytearray(), []
    for entry in entries:
        if entry.kind == _STREAM and 0 < len(entry.data) < MINI_CUTOFF:
            count = -(-len(entry.data) // MINI_SECTOR)
            entry.start = len(mini_fat)
            mini_fat += [0] * count
            _chain(mini_fat, entry.start, count)
            mini_stream += entry.data.ljust(count * MINI_SECTOR, b"\0")
    return mini_stream, mini_fat


@dataclass
class _Sectors:
    """The file's body, sector by sector, and its FAT."""

    body: bytearray = field(default_factory=bytearray)
    fat: list[int] = field(default_factory=list)

    def place(self, data: bytes) -> int:
        """Append ``data`` in whole sectors, chained; returns its first sector (END: none)."""
        if not data:
            return END
        count = -(-len(data) // SECTOR)
        first = len(self.fat)
        self.fat.extend([0] * count)
        _chain(self.fat, first, count)
        self.body.extend(bytes(data).ljust(count * SECTOR, b"\0"))
        return first

    def place_fat(self) -> tuple[int, int]:
        """Append the FAT itself, last; returns its first sector and its sector count."""
        fat_sectors = 1
        while len(self.fat) + fat_sectors > fat_sectors * (SECTOR // 4):
            fat_sectors += 1
        if fat_sectors > 109:
            raise ValueError("a compound file this large needs DIFAT sectors, not written here")
        first_fat = len(self.fat)
        self.fat += [FAT_SECTOR] * fat_sectors
        self.fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(self.fat))
        self.body += struct.pack(f"<{len(self.fat)}I", *self.fat)
        return first_fat, fat_sectors


def _header(
    first_fat: int, fat_sectors: int, first_directory: int, first_mini_fat: int,
    mini_fat_sectors: int,
) -> bytes:  # fmt: skip
    """The 512-byte header, with the DIFAT of the FAT's sectors."""
    difat = list(range(first_fat, first_fat + fat_sectors)) + [FREE] * (109 - fat_sectors)
    return struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\0" * 16,
        0x003E,
        0x0003,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        fat_sectors,
        first_directory,
        0,
        MINI_CUTOFF,
        first_mini_fat,
        mini_fat_sectors,
        END,
        0,
    ) + struct.pack("<109I", *difat)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"name too long for a compound file: {entry.name!r}")
    size = len(entry.data) if entry.kind != _STORAGE else 0
    if entry.kind == _STORAGE:
        start = 0  # [MS-CFB] 2.6.3: a storage's starting sector MUST be all zeroes
    elif size:
        start = entry.start
    else:  # an empty stream has no chain; the root keeps its (empty) mini stream's start
        start = END if entry.kind != _ROOT else entry.start
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        name.ljust(64, b"\0"),
        len(name) + 2,
        entry.kind,
        _BLACK,
        entry.left,
        entry.right,
        entry.child,
        b"\0" * 16,
        0,
        0,
        0,
        start,
        size,
    )


def _empty_entry() -> bytes:
    return struct.pack(
        "<64sHBBIII16sIQQIQ", b"\0" * 64, 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM,
        b"\0" * 16, 0, 0, 0, 0, 0,
    )  # fmt: skip
