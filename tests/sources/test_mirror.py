"""Mirrors: a local directory and a base URL (served through MockTransport)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from greenbri.adapters.sources.mirror import DirectoryMirror, Mirror, UrlMirror
from greenbri.core.errors import ConfigurationError, DownloadError, MirrorMissingError

BASE = "https://mirror.example.org/greenbri"


def test_from_setting_recognises_directories_and_urls(tmp_path: Path):
    assert isinstance(Mirror.from_setting(str(tmp_path)), DirectoryMirror)
    assert isinstance(Mirror.from_setting(tmp_path.as_uri()), DirectoryMirror)
    url_mirror = Mirror.from_setting(BASE + "/", cache_dir=tmp_path)
    assert isinstance(url_mirror, UrlMirror)
    assert url_mirror.base == BASE + "/"


@pytest.mark.parametrize("value", ["", "   ", "ftp://mirror.example.org/data", "s3://bucket/data"])
def test_from_setting_rejects_unusable_values(value: str):
    with pytest.raises(ConfigurationError):
        Mirror.from_setting(value)


def test_missing_mirror_directory_is_a_configuration_error(tmp_path: Path):
    with pytest.raises(ConfigurationError, match="does not exist"):
        Mirror.from_setting(str(tmp_path / "nowhere"))


def test_from_env(tmp_path: Path):
    assert Mirror.from_env({}) is None
    mirror = Mirror.from_env({"GREENBRI_MIRROR": str(tmp_path)})
    assert isinstance(mirror, DirectoryMirror)


def test_directory_mirror_returns_first_existing_candidate(shared_mirror: Path):
    mirror = DirectoryMirror(shared_mirror)
    found = mirror.locate(["natural-earth/ne_10m_lakes.zip", "natural-earth/ne_10m_lakes.geojson.gz"])
    assert found == shared_mirror / "natural-earth" / "ne_10m_lakes.geojson.gz"


def test_directory_mirror_returns_a_folder_candidate(shared_mirror: Path):
    hit = DirectoryMirror(shared_mirror).find(["wetlands/ramsar-ukraine/"])
    assert hit.path.is_dir()
    assert len(list(hit.path.glob("*.shp"))) == 7
    assert hit.candidate == "wetlands/ramsar-ukraine/"


def test_directory_mirror_lists_what_it_tried(shared_mirror: Path):
    with pytest.raises(MirrorMissingError) as caught:
        DirectoryMirror(shared_mirror).locate(["wdpa/WDPA_Public.zip", "wdpa/WDPA_Public.gdb/"])
    text = str(caught.value)
    assert "'wdpa/WDPA_Public.zip'" in text
    assert "'wdpa/WDPA_Public.gdb/'" in text
    assert str(shared_mirror) in text


@pytest.mark.parametrize("candidate", ["../etc/passwd", "/etc/passwd", ""])
def test_candidates_must_stay_inside_the_mirror(tmp_path: Path, candidate: str):
    with pytest.raises(ConfigurationError):
        DirectoryMirror(tmp_path).locate([candidate])


class FileServer:
    """Serves files of a dict under BASE; 404 for anything else."""

    def __init__(self, files: dict[str, bytes], status: int | None = None) -> None:
        self.files = files
        self.status = status
        self.requested: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(str(request.url))
        if self.status is not None:
            return httpx.Response(self.status)
        path = str(request.url).removeprefix(BASE + "/")
        if path in self.files:
            return httpx.Response(200, content=self.files[path])
        return httpx.Response(404, text="Not Found")


def test_url_mirror_downloads_first_candidate_that_answers(client_factory, tmp_path: Path):
    server = FileServer({"natural-earth/ne_10m_lakes.zip": b"PK zipped lakes"})
    mirror = Mirror.from_setting(BASE, client=client_factory(server), cache_dir=tmp_path / "cache")
    candidates = ["natural-earth/ne_10m_lakes.geojson.gz", "natural-earth/ne_10m_lakes.zip"]
    hit = mirror.find(candidates)
    assert hit.path.read_bytes() == b"PK zipped lakes"
    assert hit.path.is_relative_to(tmp_path / "cache")
    assert hit.origin == f"{BASE}/natural-earth/ne_10m_lakes.zip"
    assert server.requested == [f"{BASE}/{candidate}" for candidate in candidates]
    # Served from the cache the second time.
    assert mirror.locate(candidates) == hit.path
    assert len(server.requested) == 2


def test_url_mirror_skips_folder_candidates_and_reports_missing(client_factory, tmp_path: Path):
    server = FileServer({})
    mirror = UrlMirror(BASE, client=client_factory(server), cache_dir=tmp_path)
    with pytest.raises(MirrorMissingError) as caught:
        mirror.locate(["wetlands/ramsar-ukraine/", "wetlands/ramsar-ukraine.zip"])
    text = str(caught.value)
    assert BASE in text
    assert "'wetlands/ramsar-ukraine.zip'" in text
    assert "only a directory mirror" in text
    assert server.requested == [f"{BASE}/wetlands/ramsar-ukraine.zip"]
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_url_mirror_that_is_down_raises_download_error(client_factory, tmp_path: Path):
    server = FileServer({}, status=502)
    mirror = UrlMirror(BASE, client=client_factory(server, max_attempts=2), cache_dir=tmp_path)
    with pytest.raises(DownloadError) as caught:
        mirror.locate(["heritage/whc-sites-2019.csv"])
    assert not isinstance(caught.value, MirrorMissingError)
    assert "502" in str(caught.value)


def test_url_mirror_quotes_names(client_factory, tmp_path: Path):
    server = FileServer({"indicators/a%20b.csv": b"x"})
    mirror = UrlMirror(BASE, client=client_factory(server), cache_dir=tmp_path)
    assert mirror.locate(["indicators/a b.csv"]).read_bytes() == b"x"
