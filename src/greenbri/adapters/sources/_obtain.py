"""Shared steps of connectors: mirror first, else the upstream URL through the cache."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.stores.files import renamed_into_place
from greenbri.core.catalog import Licence
from greenbri.core.errors import MirrorMissingError, SourceError

__all__ = ["CC_BY_4", "Obtained", "extract_members", "licence_cc_by", "obtain"]

CC_BY_4_URL = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_4 = "CC BY 4.0"


@dataclass(frozen=True)
class Obtained:
    """A local input and where it came from."""

    path: Path
    origin: str
    from_mirror: bool
    candidate: str = ""


def obtain(
    context: FetchContext,
    *,
    connector: str,
    candidates: Sequence[str],
    upstream_url: str,
    file_name: str,
) -> Obtained:
    """The input from the mirror when one is configured, else downloaded from ``upstream_url``.

    A configured mirror is authoritative: when it lacks every candidate the
    :class:`MirrorMissingError` propagates, unless ``context.upstream_fallback``.
    Upstream downloads go to ``cache_dir/<connector>/<file_name>`` and are used
    again from there unless ``context.refresh``.
    """
    if context.mirror is not None:
        try:
            hit = context.mirror.find(candidates, context.progress)
        except MirrorMissingError:
            if not context.upstream_fallback:
                raise
        else:
            return Obtained(hit.path, hit.origin, True, hit.candidate)
    dest = context.cache_path(connector, file_name)
    if not (dest.is_file() and not context.refresh):
        context.client.download(upstream_url, dest, context.progress)
    return Obtained(dest, upstream_url, False)


def licence_cc_by(attribution: str) -> Licence:
    return Licence(name=CC_BY_4, url=CC_BY_4_URL, attribution=attribution)


def extract_members(archive_path: Path, members: Sequence[str], dest_dir: Path) -> list[Path]:
    """Extract ``members`` of a zip into ``dest_dir`` (kept flat), refusing unsafe names.

    A member already extracted with the same size is not written again.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with zipfile.ZipFile(archive_path) as archive:
            for member in members:
                info = archive.getinfo(member)
                name = PurePosixPath(member).name
                if not name or name in (".", ".."):
                    raise SourceError(
                        f"{archive_path} holds an entry with an unusable name: {member!r}.",
                        hint="re-download the archive from its publisher.",
                    )
                target = dest_dir / name
                if not (target.is_file() and target.stat().st_size == info.file_size):
                    with (
                        renamed_into_place(target) as temporary,
                        archive.open(info) as source,
                        temporary.open("wb") as out,
                    ):
                        shutil.copyfileobj(source, out, 1 << 20)
                written.append(target)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SourceError(
            f"Cannot extract {', '.join(members)} from {archive_path}: {exc}.",
            hint="check that the archive is complete (download it again) and that the cache is writable.",
        ) from None
    return written
