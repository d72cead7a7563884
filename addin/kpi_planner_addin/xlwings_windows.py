"""Run xlwings' own Windows UDF machinery where pywin32 is missing, with stand-ins for it.

The add-in build uses it to have xlwings itself generate the VBA wrappers of the custom
functions on any system; the tests use it to call the functions as Excel does.

xlwings' classic UDFs live in ``xlwings.udfs`` and ``xlwings.com_server``, which import
pywin32 at the top. With stand-in modules for those imports (and ``ctypes.windll``), the
real code imports and runs: its decorators record each function's metadata, its
``generate_vba_wrapper`` writes the VBA that Excel calls, and ``XLPython.CallUDF`` converts
COM-shaped arguments (floats, None for empty cells, tuples of row tuples for ranges, error
codes) and the result exactly as in Excel on Windows. No COM call is ever made.
"""

from __future__ import annotations

import ctypes
import importlib
import sys
import types
from unittest import mock

_PYWIN32 = [
    "pythoncom", "pywintypes", "win32api", "win32con", "win32gui", "win32process",
    "win32event", "win32timezone", "win32com", "win32com.client", "win32com.client.gencache",
    "win32com.server", "win32com.server.dispatcher", "win32com.server.policy",
    "win32com.server.util", "win32com.server.register",
]  # fmt: skip


class _StandIn(types.ModuleType):
    """A module whose every attribute exists: classes for CamelCase names, mocks otherwise."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        value = type(name, (), {}) if name[:1].isupper() else mock.MagicMock(name=name)
        setattr(self, name, value)
        return value


class Variant:
    """Stand-in for win32com.client.VARIANT: the type and value a UDF returns to COM."""

    def __init__(self, vartype: int, value: object) -> None:
        self.varianttype, self.value = vartype, value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variant) and (other.varianttype, other.value) == (
            self.varianttype, self.value)  # fmt: skip

    def __repr__(self) -> str:
        return f"VARIANT({self.varianttype}, {self.value})"


def _not_wrapped(value):
    raise TypeError("a plain value, not a wrapped COM object")


def load():
    """Import xlwings' Windows UDF modules against stand-ins; returns (udfs, com_server)."""
    if "xlwings.com_server" in sys.modules and getattr(sys.modules["xlwings"], "_standins", False):
        return sys.modules["xlwings.udfs"], sys.modules["xlwings.com_server"]
    for name in _PYWIN32:
        sys.modules.setdefault(name, _StandIn(name))
        parent, _, child = name.rpartition(".")
        if parent:  # win32com.server.util must be the module, as an attribute too
            setattr(sys.modules[parent], child, sys.modules[name])
    sys.modules["win32com.server.util"].unwrap = _not_wrapped
    sys.modules["pywintypes"].IID = str
    # An error VARIANT the tests can look into, built as pywin32 builds one.
    sys.modules["pythoncom"].VT_ERROR = 10
    sys.modules["win32com.client"].VARIANT = Variant
    for attribute in ("windll", "oledll"):
        if not hasattr(ctypes, attribute):
            setattr(ctypes, attribute, mock.MagicMock(name=attribute))
    pythoncom = sys.modules["pythoncom"]
    pythoncom.__file__ = "pythoncom.dll"
    pythoncom.IID_IDispatch = "{00020400-0000-0000-C000-000000000046}"
    pythoncom.TypeIIDs = {pythoncom.IID_IDispatch: type("PyIDispatch", (), {})}
    import xlwings

    # _xlwindows loads pythoncom's DLL through ctypes at import: hand it a stand-in.
    with mock.patch.object(ctypes, "PyDLL", mock.MagicMock(name="PyDLL")):
        windows = importlib.import_module("xlwings._xlwindows")
    if "excel" not in [engine.name for engine in xlwings.engines]:
        xlwings.engines.add(xlwings.Engine(impl=windows.engine))
    udfs = importlib.import_module("xlwings.udfs")
    com_server = importlib.import_module("xlwings.com_server")
    xlwings._standins = True
    return udfs, com_server


def decorate(module_name: str):
    """The UDF module re-imported with xlwings' real Windows decorators applied."""
    udfs, _ = load()
    import xlwings

    package = module_name.rpartition(".")[0]
    with mock.patch.multiple(xlwings, func=udfs.xlfunc, arg=udfs.xlarg, ret=udfs.xlret,
                             script=udfs.xlsub, sub=udfs.xlsub):  # fmt: skip
        # The module re-exports functions of its siblings (pipeline_functions): decorate
        # them again too, first, as a fresh import in Excel's Python process would.
        siblings = [name for name in sys.modules
                    if name.startswith(f"{package}.") and name.endswith("_functions")]  # fmt: skip
        for sibling in siblings:
            importlib.reload(sys.modules[sibling])
        module = importlib.reload(importlib.import_module(module_name))
    udfs.udf_modules.pop(module_name, None)
    return module
