"""The compound file writer, read back by olefile."""

import io
import random

import olefile
import pytest
from kpi_planner_addin import cfb


def read_back(streams):
    ole = olefile.OleFileIO(io.BytesIO(cfb.write(streams)))
    return {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}


def test_streams_of_every_size_read_back():
    rng = random.Random(3)
    streams = {
        "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n',
        "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000100"),
        "VBA/small": rng.randbytes(63),  # one mini sector
        "VBA/cutoff-1": rng.randbytes(4095),  # the largest mini stream
        "VBA/cutoff": rng.randbytes(4096),  # the smallest regular stream
        "VBA/big": rng.randbytes(70_000),  # more FAT than one sector holds
        "VBA/empty": b"",
    }
    assert read_back(streams) == streams


@pytest.mark.parametrize("count", [1, 3, 4, 5, 40])
def test_many_siblings_are_all_found(count):
    streams = {f"VBA/Module{i}": f"module {i}".encode() for i in range(count)}
    assert read_back(streams) == streams


def test_a_name_longer_than_the_format_allows_is_refused():
    with pytest.raises(ValueError, match="name too long"):
        cfb.write({"x" * 40: b""})
