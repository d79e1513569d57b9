"""Serve the real recorded GBIF exchanges (VCR cassettes from pygbif's tests) through httpx.MockTransport."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import yaml


def load_exchanges(*paths: Path) -> dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, Any]]:
    """``{(path, sorted query): {"status": int, "body": text}}`` from cassette files."""
    exchanges = {}
    for path in paths:
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            uri = urlsplit(interaction["request"]["uri"])
            key = (uri.path, tuple(sorted(parse_qsl(uri.query))))
            exchanges[key] = {
                "status": interaction["response"]["status"]["code"],
                "body": interaction["response"]["body"]["string"],
            }
    return exchanges


def body(exchanges: dict[Any, dict[str, Any]], path: str, **query: str) -> Any:
    return json.loads(exchanges[(path, tuple(sorted(query.items())))]["body"])


class Recorded:
    """A handler answering only the recorded requests; it remembers every URL asked."""

    def __init__(self, exchanges: dict[Any, dict[str, Any]]) -> None:
        self.exchanges = exchanges
        self.requested: list[httpx.URL] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(request.url)
        key = (request.url.path, tuple(sorted(parse_qsl(request.url.query.decode()))))
        if key not in self.exchanges:
            raise AssertionError(f"no recorded exchange for {request.url}")
        found = self.exchanges[key]
        return httpx.Response(
            found["status"], text=found["body"], headers={"Content-Type": "application/json"}
        )
