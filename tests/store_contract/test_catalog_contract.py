"""The catalog half of the store contract: versions, no-ops, deletes, metadata, documents, errors.

Every test runs on the embedded store and on the PostGIS store (``any_store``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.store_contract.helpers import RECORD, provenance, wetlands

from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetKind,
    DatasetRecord,
    Licence,
    SourceInfo,
    Theme,
)
from greenbri.core.errors import DatasetNotFoundError, StoreError, VersionNotFoundError
from greenbri.usecases.datasets import DatasetMetadata, import_dataset
from greenbri.usecases.export import export_dataset
from greenbri.usecases.initialise import initialise_store


def test_a_new_store_is_empty_until_initialised(any_store: Any) -> None:
    assert not any_store.is_initialised()
    assert any_store.list_datasets() == []
    any_store.initialise()
    any_store.initialise()
    assert any_store.is_initialised()
    assert any_store.list_datasets() == []


def test_versions_are_numbered_and_older_ones_stay_readable(any_store: Any) -> None:
    first = any_store.write_frame_version(RECORD, provenance("a"), wetlands(3))
    second = any_store.write_frame_version(RECORD, provenance("b"), wetlands(5))
    assert (first.created, first.version.number, second.created, second.version.number) == (True, 1, True, 2)
    assert len(any_store.read(RECORD.id)) == 5
    assert len(any_store.read(RECORD.id, version=1)) == 3
    assert [str(second.record.reference(number)) for number in (1, 2)] == [
        "test-wetlands@v1",
        "test-wetlands@v2",
    ]
    assert any_store.get(RECORD.id) == second.record
    assert [record.id for record in any_store.list_datasets()] == [RECORD.id]


def test_the_same_input_and_options_again_is_a_no_op(any_store: Any) -> None:
    any_store.write_frame_version(RECORD, provenance("a", "options-1"), wetlands(3))
    again = any_store.write_frame_version(RECORD, provenance("a", "options-1"), wetlands(3))
    other_options = any_store.write_frame_version(RECORD, provenance("a", "options-2"), wetlands(3))
    assert (again.created, again.metadata_updated, again.version.number) == (False, False, 1)
    assert (other_options.created, other_options.version.number) == (True, 2)
    renamed = replace(RECORD, title=Bilingual("Renamed wetlands", "改名湿地"))
    metadata_only = any_store.write_frame_version(renamed, provenance("a", "options-2"), wetlands(3))
    assert (metadata_only.created, metadata_only.metadata_updated) == (False, True)
    assert any_store.get(RECORD.id).title == Bilingual("Renamed wetlands", "改名湿地")
    assert [version.number for version in any_store.get(RECORD.id).versions] == [1, 2]


def test_deletes_keep_the_other_versions_and_never_reuse_a_number(any_store: Any) -> None:
    for digest in "abc":
        any_store.write_frame_version(RECORD, provenance(digest), wetlands(2))
    remaining = any_store.delete(RECORD.id, version=3)
    assert [version.number for version in remaining.versions] == [1, 2]
    with pytest.raises(VersionNotFoundError, match="versions are: 1, 2"):
        any_store.read(RECORD.id, version=3)
    assert len(any_store.read(RECORD.id, version=2)) == 2
    assert any_store.write_frame_version(RECORD, provenance("d"), wetlands(2)).version.number == 4
    assert any_store.delete(RECORD.id) is None
    with pytest.raises(DatasetNotFoundError, match="greenbri datasets list"):
        any_store.get(RECORD.id)
    with pytest.raises(DatasetNotFoundError):
        any_store.delete(RECORD.id)
    # a dataset deleted whole and imported again goes on counting
    assert any_store.write_frame_version(RECORD, provenance("e"), wetlands(1)).version.number == 5


def test_a_reimport_with_fewer_options_keeps_the_stored_metadata(any_store: Any, tmp_path: Path) -> None:
    points = tmp_path / "points.csv"
    points.write_text("name,longitude,latitude\n甲,1.5,2.5\n乙,3,4\n", encoding="utf-8")
    full = DatasetMetadata(
        "sites",
        title=Bilingual("Sites", "地点"),
        theme=Theme.HERITAGE,
        licence=Licence("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/", "Someone"),
        source=SourceInfo("https://example.org/sites", "Example", "2024"),
    )
    import_dataset(any_store, points, full)
    again = import_dataset(any_store, points, DatasetMetadata("sites", title=Bilingual("Sites renamed")))
    record = any_store.get("sites")
    assert (again.created, again.metadata_updated) == (False, True)
    assert record.title == Bilingual("Sites renamed", "地点")
    assert (record.theme, record.licence.attribution, record.source.publisher) == (
        Theme.HERITAGE,
        "Someone",
        "Example",
    )


def test_restricted_access_fields_round_trip(any_store: Any) -> None:
    restricted = replace(
        RECORD,
        access=AccessLevel.RESTRICTED,
        organisation="Ministry of Ecology and Environment 生态环境部",
        coverage=("UKR", "POL"),
        description=Bilingual("Internal survey", "内部调查"),
    )
    outcome = any_store.write_frame_version(restricted, provenance("a"), wetlands(2))
    stored = any_store.get(RECORD.id)
    assert stored == outcome.record
    assert (stored.access, stored.organisation, stored.coverage) == (
        AccessLevel.RESTRICTED,
        "Ministry of Ecology and Environment 生态环境部",
        ("UKR", "POL"),
    )
    assert DatasetRecord.from_dict(stored.to_dict()) == stored


def test_each_version_keeps_its_kind_and_documents_export_as_they_were(
    any_store: Any, tmp_path: Path
) -> None:
    document = tmp_path / "assessment.pdf"
    document.write_bytes(b"%PDF-1.4 environmental impact assessment \x00\xff")
    any_store.write_frame_version(RECORD, provenance("a"), wetlands(2))
    document_record = replace(RECORD, kind=DatasetKind.DOCUMENT)
    outcome = any_store.write_document_version(document_record, provenance("b"), document)
    assert (outcome.version.number, outcome.version.kind, outcome.version.file_name) == (
        2,
        DatasetKind.DOCUMENT,
        "assessment.pdf",
    )
    with pytest.raises(StoreError, match="is a document"):
        any_store.read(RECORD.id)
    exported = export_dataset(any_store, RECORD.id, tmp_path / "out" / "copy.pdf")
    assert exported.read_bytes() == document.read_bytes()
    layer = export_dataset(any_store, RECORD.id, tmp_path / "out" / "v1.geojson", version=1)
    assert "湿地 1" in layer.read_text(encoding="utf-8")
    assert [version.kind for version in any_store.get(RECORD.id).versions] == [
        DatasetKind.VECTOR_LAYER,
        DatasetKind.DOCUMENT,
    ]


def test_the_bundled_reference_layers_load_and_read_back(any_store: Any) -> None:
    outcomes = initialise_store(any_store)
    assert any_store.is_initialised()
    assert all(outcome.created for outcome in outcomes)
    for outcome in outcomes:
        frame = any_store.read(outcome.record.id)
        assert len(frame) == outcome.version.feature_count
    countries = any_store.read("countries", columns=["iso_a3", "geometry"], bbox=(116.0, 39.0, 117.0, 40.0))
    assert "CHN" in set(countries["iso_a3"])
