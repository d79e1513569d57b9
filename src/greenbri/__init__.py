"""greenbri: eco-environmental big data service platform for green Belt and Road cooperation.

The Python API mirrors the CLI::

    import greenbri
    platform = greenbri.open()          # the store in GREENBRI_DATA_DIR
    platform.init()                     # bundled reference layers
    platform.datasets()                 # the catalog as a DataFrame
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Greenbri", "__version__", "open"]

if TYPE_CHECKING:
    from greenbri.services.python_api import Greenbri


def open(data_dir: Any = None) -> Greenbri:
    """Open a greenbri store; see :func:`greenbri.services.python_api.open_platform`."""
    from greenbri.services.python_api import open_platform

    return open_platform(data_dir)


def __getattr__(name: str) -> Any:
    if name == "Greenbri":
        from greenbri.services.python_api import Greenbri

        return Greenbri
    raise AttributeError(name)
