"""A mirror: a local directory or a web server holding copies of upstream files.

``GREENBRI_MIRROR`` names it. Connectors give a list of candidate relative paths
(e.g. ``natural-earth/ne_10m_lakes.geojson.gz``, then the upstream zip name) and
the mirror returns a local path for the first one it holds:

* a :class:`DirectoryMirror` returns the path under its folder (a candidate may
  name a folder, e.g. a folder of shapefiles);
* a :class:`UrlMirror` downloads the first candidate the server answers with 200
  into its cache and returns the cached file. Folders cannot be listed over HTTP,
  so candidates that end in ``/`` (folders) are skipped by a URL mirror.
"""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from greenbri.adapters.sources.http import HttpClient, HttpError, ProgressCallback
from greenbri.core.errors import ConfigurationError, MirrorMissingError

__all__ = [
    "MIRROR_ENV",
    "DirectoryMirror",
    "Mirror",
    "MirrorHit",
    "UrlMirror",
    "default_cache_dir",
]

#: Environment variable naming the mirror (a directory or an http(s) base URL).
MIRROR_ENV = "GREENBRI_MIRROR"
#: Environment variable naming the download cache directory.
CACHE_ENV = "GREENBRI_CACHE_DIR"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``GREENBRI_CACHE_DIR``, else ``$XDG_CACHE_HOME/greenbri``, else ``~/.cache/greenbri``."""
    env = os.environ if environ is None else environ
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "greenbri"
    return Path.home() / ".cache" / "greenbri"


@dataclass(frozen=True)
class MirrorHit:
    """A candidate the mirror holds: the local ``path``, which ``candidate`` matched, and
    ``origin`` (the file path or URL it came from, for provenance)."""

    path: Path
    candidate: str
    origin: str


def _check_candidate(candidate: str) -> PurePosixPath:
    relative = PurePosixPath(candidate.strip())
    if not candidate.strip() or relative.is_absolute() or ".." in relative.parts:
        raise ConfigurationError(
            f"Mirror candidate {candidate!r} is not a relative path inside the mirror.",
            hint="use a path such as 'natural-earth/ne_10m_lakes.zip', without '..' or a leading '/'.",
        )
    return relative


class Mirror(ABC):
    """Where copies of upstream files can be found. Build one with :meth:`from_setting`."""

    #: The directory or base URL, as a user would write it.
    base: str

    @staticmethod
    def from_setting(
        value: str,
        *,
        client: HttpClient | None = None,
        cache_dir: Path | None = None,
    ) -> Mirror:
        """A mirror from a setting: a local directory (or ``file://`` URL) or an http(s) base URL.

        ``client`` and ``cache_dir`` are used by URL mirrors only (defaults: a new
        :class:`HttpClient` and :func:`default_cache_dir`).
        """
        text = value.strip()
        if not text:
            raise ConfigurationError(
                f"{MIRROR_ENV} is empty.",
                hint="set it to a directory (e.g. /data/greenbri-mirror) or a base URL "
                "(e.g. https://mirror.example.org/greenbri/), or unset it.",
            )
        scheme = urlsplit(text).scheme.lower()
        if scheme in ("http", "https"):
            return UrlMirror(text, client=client, cache_dir=cache_dir)
        if scheme == "file":
            return DirectoryMirror(Path(unquote(urlsplit(text).path)))
        if scheme and len(scheme) > 1:  # "c:" is a Windows drive, not a scheme
            raise ConfigurationError(
                f"Mirror {text!r} uses the scheme {scheme!r}, which greenbri cannot read.",
                hint="use a local directory, a file:// URL or an http(s):// base URL.",
            )
        return DirectoryMirror(Path(text))

    @staticmethod
    def from_env(
        environ: Mapping[str, str] | None = None,
        *,
        client: HttpClient | None = None,
        cache_dir: Path | None = None,
    ) -> Mirror | None:
        """The mirror named by ``GREENBRI_MIRROR``, or None when it is not set."""
        env = os.environ if environ is None else environ
        value = env.get(MIRROR_ENV)
        if value is None:
            return None
        return Mirror.from_setting(value, client=client, cache_dir=cache_dir)

    @abstractmethod
    def find(self, candidates: Sequence[str], progress: ProgressCallback | None = None) -> MirrorHit:
        """The first candidate the mirror holds; :class:`MirrorMissingError` if none."""

    def locate(self, candidates: Sequence[str], progress: ProgressCallback | None = None) -> Path:
        """Local path of the first candidate the mirror holds (a file or a folder).

        Raises :class:`~greenbri.core.errors.MirrorMissingError` listing the candidates
        tried and the mirror base when it holds none of them.
        """
        return self.find(candidates, progress).path

    def _missing(self, candidates: Sequence[str], notes: Sequence[str] = ()) -> MirrorMissingError:
        tried = ", ".join(repr(candidate) for candidate in candidates) or "(none)"
        extra = f" ({'; '.join(notes)})" if notes else ""
        return MirrorMissingError(
            f"The mirror {self.base} holds none of: {tried}{extra}.",
            hint=f"copy one of these files into the mirror, point {MIRROR_ENV} at a mirror that has it, "
            f"or unset {MIRROR_ENV} to download from the upstream source.",
        )


class DirectoryMirror(Mirror):
    """A mirror in a local folder."""

    def __init__(self, root: Path) -> None:
        root = Path(root).expanduser()
        if not root.is_dir():
            raise ConfigurationError(
                f"Mirror directory {root} does not exist or is not a directory.",
                hint=f"create it, or set {MIRROR_ENV} to an existing folder or an http(s) base URL.",
            )
        self.root = root.resolve()
        self.base = str(self.root)

    def __repr__(self) -> str:
        return f"DirectoryMirror({self.base!r})"

    def find(self, candidates: Sequence[str], progress: ProgressCallback | None = None) -> MirrorHit:
        for candidate in candidates:
            path = self.root.joinpath(*_check_candidate(candidate).parts)
            if path.exists():
                return MirrorHit(path=path, candidate=candidate, origin=str(path))
        raise self._missing(candidates)


class UrlMirror(Mirror):
    """A mirror on a web server; files are downloaded into ``cache_dir/mirror/<host>-<hash>/``.

    Unless ``refresh``, a candidate already in the cache is used again without any
    request (the first cached one in candidate order), so a mirror used once also
    works offline afterwards.
    """

    def __init__(
        self,
        base_url: str,
        *,
        client: HttpClient | None = None,
        cache_dir: Path | None = None,
        refresh: bool = False,
    ) -> None:
        self.base = base_url.strip().rstrip("/") + "/"
        self._client = client
        digest = hashlib.sha256(self.base.encode("utf-8")).hexdigest()[:12]
        host = urlsplit(self.base).hostname or "mirror"
        self.cache_root = (cache_dir or default_cache_dir()) / "mirror" / f"{host}-{digest}"
        self.refresh = refresh

    def __repr__(self) -> str:
        return f"UrlMirror({self.base!r})"

    @property
    def client(self) -> HttpClient:
        if self._client is None:
            self._client = HttpClient()
        return self._client

    def _cached(self, candidate: str) -> Path:
        return self.cache_root.joinpath(*_check_candidate(candidate).parts)

    def url_for(self, candidate: str) -> str:
        return self.base + quote(str(_check_candidate(candidate)), safe="/")

    def find(self, candidates: Sequence[str], progress: ProgressCallback | None = None) -> MirrorHit:
        notes: list[str] = []
        files = [candidate for candidate in candidates if not candidate.rstrip().endswith("/")]
        for candidate in candidates:
            _check_candidate(candidate)
            if candidate not in files:
                notes.append(f"{candidate!r} is a folder, which only a directory mirror can serve")
        if not self.refresh:  # a copy downloaded before wins, without a request
            for candidate in files:
                cached = self._cached(candidate)
                if cached.is_file():
                    return MirrorHit(path=cached, candidate=candidate, origin=self.url_for(candidate))
        for candidate in files:
            url = self.url_for(candidate)
            dest = self._cached(candidate)
            try:
                self.client.download(url, dest, progress)
            except HttpError as exc:
                if exc.not_found or exc.status == 403:  # object stores answer 403 for absent keys
                    continue
                raise
            return MirrorHit(path=dest, candidate=candidate, origin=url)
        raise self._missing(candidates, notes)
