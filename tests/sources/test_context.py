"""FetchContext: options, flags, cache paths and construction from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenbri.adapters.sources.context import FetchContext
from greenbri.adapters.sources.mirror import DirectoryMirror, UrlMirror
from greenbri.core.errors import ConfigurationError


def test_options_and_flags(tmp_path: Path, client_factory):
    context = FetchContext(
        client=client_factory(),
        mirror=None,
        cache_dir=tmp_path,
        options={"slug": "  pm25-air-pollution ", "blank": " ", "a": "Yes", "b": "0", "c": "perhaps"},
    )
    assert context.option("slug") == "pm25-air-pollution"
    assert context.option("blank", "default") == "default"
    assert context.option("absent") is None
    assert context.flag("a") is True
    assert context.flag("b") is False
    assert context.flag("absent", default=True) is True
    with pytest.raises(ConfigurationError, match="c=true or c=false"):
        context.flag("c")
    with pytest.raises(ConfigurationError, match="options it understands: a, b"):
        context.check_options("demo", ("a", "b"))


def test_cache_path_is_made_safe(tmp_path: Path, client_factory):
    context = FetchContext(client=client_factory(), mirror=None, cache_dir=tmp_path)
    path = context.cache_path("worldbank", "EN.ATM/../x y.csv")
    assert path.parent == tmp_path / "worldbank"
    assert path.parent.is_dir()
    assert "/" not in path.name and " " not in path.name


def test_from_env(tmp_path: Path, client_factory):
    client = client_factory()
    context = FetchContext.from_env(
        {"indicator": "EN.ATM.PM25.MC.M3"},
        client=client,
        environ={"GREENBRI_MIRROR": str(tmp_path), "GREENBRI_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert isinstance(context.mirror, DirectoryMirror)
    assert context.cache_dir == tmp_path / "cache"
    assert context.options == {"indicator": "EN.ATM.PM25.MC.M3"}

    url_context = FetchContext.from_env(
        client=client,
        environ={"GREENBRI_MIRROR": "https://mirror.example.org/data", "XDG_CACHE_HOME": str(tmp_path)},
    )
    assert isinstance(url_context.mirror, UrlMirror)
    assert url_context.cache_dir == tmp_path / "greenbri"
    assert url_context.mirror.cache_root.is_relative_to(tmp_path / "greenbri" / "mirror")

    assert FetchContext.from_env(client=client, environ={}).mirror is None
