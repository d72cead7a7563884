"""MS-OVBA compression, read back by oletools' independent decompressor."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_planner_addin import build, ovba
from oletools.olevba import decompress_stream


def round_trip(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(ovba.compress(data))))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 8, 9, 4095, 4096, 4097, 8192, 12_345])
def test_chunk_boundaries(size):
    data = (b'Attribute VB_Name = "Module"\r\n' * 1000)[:size]
    assert round_trip(data) == data


def test_generated_modules_compress_and_read_back():
    for name, text in build.sources().items():
        if name.endswith(".bas"):
            data = text.encode("cp1252")
            assert round_trip(data) == data
            assert len(ovba.compress(data)) < len(data) / 2  # source text compresses well


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3600) | st.text(alphabet="ab \r\n", max_size=9000).map(str.encode))
def test_any_bytes_round_trip(data):
    # Up to 3,640 bytes even literals alone fit a chunk; repetitive text uses copy tokens.
    assert round_trip(data) == data


def test_incompressible_full_chunks_are_stored_raw():
    data = random.Random(7).randbytes(2 * ovba.CHUNK)
    assert round_trip(data) == data


def test_an_incompressible_short_last_chunk_is_refused():
    # The format would pad it with NULs that then decompress into the source; VBA text
    # never gets here, so it is an error rather than silent padding.
    data = random.Random(7).randbytes(4000)
    with pytest.raises(ValueError, match="did not compress"):
        ovba.compress(data)


def test_a_match_never_runs_past_the_end_of_a_chunk():
    # Regression: with 2 bytes left in a chunk, a 3-byte match found by looking past its
    # end decompressed to one byte too many ("Functiion"). These module-like texts put
    # such a spot at a chunk's end for several shifts (0, 17, 18, 34, ... failed before).
    for shift in range(40):
        data = b"x" * shift + b"".join(
            b"Function F%04d(a, b)\r\n    F%04d = a * b\r\nEnd Function\r\n\r\n" % (i, i)
            for i in range(120)
        )
        assert round_trip(data) == data, shift
