"""MS-OVBA compression: how a VBA project stores its module source and its dir stream.

The algorithm of [MS-OVBA] section 2.4.1.3: the data is cut into chunks of 4096 bytes;
each chunk is a run of flag bytes, each followed by eight tokens that are either a literal
byte or a copy token (offset, length) into the chunk's earlier bytes. Matches are found
through a table of 3-byte prefixes, most recent first, so compressing a module takes
milliseconds; any match the decompressor can replay is valid, the longest is not required.
oletools' independent ``decompress_stream`` reads the result back in the tests.
"""

from __future__ import annotations

import struct

CHUNK = 4096
_MAX_COMPRESSED_CHUNK = 4098  # header included
_CANDIDATES = 64  # earlier positions tried per match, most recent first


def _copy_token_help(difference: int) -> tuple[int, int]:
    """(bit count of the offset, maximum length) at ``difference`` bytes into a chunk."""
    bit_count = max((difference - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    """One CompressedChunk (header included) for ``data[start:end]``."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    current = start

    def remember(position: int) -> None:
        if position + 3 <= end:
            seen.setdefault(data[position : position + 3], []).append(position)

    while current < end:
        flags = 0
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if current >= end:
                break
            bit_count, max_length = _copy_token_help(current - start)
            best_length, best_position = 0, 0
            # A match needs 3 bytes inside the chunk: near its end there is none to find.
            near_end = current + 3 > end
            key = b"" if near_end else data[current : current + 3]
            for candidate in reversed(seen.get(key, [])[-_CANDIDATES:]):
                limit = min(max_length, end - current)
                length = 3
                while length < limit and data[candidate + length] == data[current + length]:
                    length += 1
                if length > best_length:
                    best_length, best_position = length, candidate
                    if length == limit:
                        break
            if best_length >= 3:
                token = ((current - best_position - 1) << (16 - bit_count)) | (best_length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                for position in range(current, current + best_length):
                    remember(position)
                current += best_length
            else:
                out.append(data[current])
                remember(current)
                current += 1
        out[flag_at] = flags
    if len(out) + 2 > _MAX_COMPRESSED_CHUNK:
        if end - start < CHUNK:
            raise ValueError("a short final chunk did not compress; VBA source always does")
        return struct.pack("<H", (CHUNK - 1) | 0x3000) + data[start:end]  # a raw chunk
    return struct.pack("<H", (len(out) + 2 - 3) | 0x3000 | 0x8000) + bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer ([MS-OVBA] 2.4.1.1.1) holding ``data``.

    >>> compress(b"abcabcabcabc")[:1]
    b'\\x01'
    """
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        out += _compress_chunk(data, start, min(start + CHUNK, len(data)))
    return bytes(out)
