"""Importing the real GBIF Darwin Core Archive, checked against the zip read independently (zipfile + csv)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from greenbri.adapters.biodiversity.dwca import read_dwca
from greenbri.adapters.stores.interface import DatasetStore
from greenbri.core.biodiversity.licences import LicenceClass
from greenbri.core.biodiversity.occurrence import Occurrence, clean_occurrence
from greenbri.core.catalog import AccessLevel
from greenbri.core.errors import EmptyInputError, MalformedInputError
from greenbri.usecases.species import import_occurrences

TODAY = date(2026, 12, 7)


def clock() -> datetime:
    return datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def archive(shared_data: Path) -> Path:
    return shared_data / "biodiversity" / "gbif" / "gbif-download-dwca.zip"


def _independent_rows(archive: Path) -> list[list[str]]:
    """occurrence.txt as meta.xml describes it: tab-separated, no header, no quoting, 64 columns."""
    with zipfile.ZipFile(archive) as zipped:
        text = zipped.read("occurrence.txt").decode("utf-8")
    return list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))


# meta.xml column indices (read by eye from the archive's meta.xml)
DATASET, BASIS, NAME, COUNTRY, LAT, LON, YEAR = 1, 5, 6, 23, 24, 25, 26


def test_counts_match_the_file_read_independently(archive: Path) -> None:
    rows = _independent_rows(archive)
    placed = [
        row for row in rows if row[LAT] and row[LON] and (float(row[LAT]), float(row[LON])) != (0.0, 0.0)
    ]
    content = read_dwca(archive, today=TODAY)
    assert content.rows_read == len(rows) == 158
    assert len(content.occurrences) == len(placed)
    no_coordinates = sum(1 for row in rows if not (row[LAT] and row[LON]))
    zero = sum(1 for row in rows if row[LAT] and row[LON] and float(row[LAT]) == 0 and float(row[LON]) == 0)
    skipped = Counter(problem.message.split(",")[0][:20] for problem in content.problems if problem.fatal)
    assert sum(skipped.values()) == no_coordinates + zero
    assert zero > 0 and no_coordinates > 0  # both kinds of bad coordinates are in the real file


def test_named_species_and_basis_of_record(archive: Path) -> None:
    rows = _independent_rows(archive)
    content = read_dwca(archive, today=TODAY)
    by_id = {item.occurrence_id: item for item in content.occurrences}
    for row in rows:
        if row[0] in by_id:
            item = by_id[row[0]]
            assert item.scientific_name == row[NAME]
            assert item.basis_of_record == row[BASIS]
            assert item.dataset_key == row[DATASET]
            assert item.country_code == row[COUNTRY]
            assert (item.lat, item.lon) == (float(row[LAT]), float(row[LON]))
            if row[YEAR]:
                assert item.year == int(row[YEAR])
    names = Counter(item.scientific_name for item in content.occurrences)
    expected = Counter(row[NAME] for row in rows if row[0] in by_id)
    assert names == expected
    assert "Chelonodon fluviatilis (Hamilton, 1822)" in names


def test_java_style_event_dates_are_read(archive: Path) -> None:
    """The 2013 download writes eventDate as 'Tue Apr 01 00:00:00 CET 1930'; year/month/day agree."""
    rows = {row[0]: row for row in _independent_rows(archive)}
    content = read_dwca(archive, today=TODAY)
    dated = [item for item in content.occurrences if rows[item.occurrence_id][YEAR]]
    assert dated
    for item in dated:
        row = rows[item.occurrence_id]
        year, month, day = row[YEAR], row[27], row[58]
        expected = f"{int(year):04d}-{int(month):02d}-{int(day):02d}" if month and day else None
        if expected:
            assert item.event_date == expected
    assert not [problem for problem in content.problems if problem.field == "eventDate"]


def test_java_date_text_alone_is_parsed_and_nonsense_is_reported() -> None:
    raw = {"decimalLatitude": "11.6", "decimalLongitude": "92.7", "eventDate": "Tue Apr 01 00:00:00 CET 1930"}
    cleaned = clean_occurrence(raw, row=1, today=TODAY)
    assert isinstance(cleaned, Occurrence) and cleaned.event_date == "1930-04-01" and cleaned.year == 1930
    later = clean_occurrence({**raw, "eventDate": "2999-01-01"}, row=2, today=TODAY)
    assert isinstance(later, Occurrence) and later.event_date == ""
    assert later.problems[0].message == "the date is in the future"


def test_dataset_rights_and_citations_come_from_each_eml(archive: Path) -> None:
    content = read_dwca(archive, today=TODAY)
    rows = _independent_rows(archive)
    assert set(content.datasets) == {row[DATASET] for row in rows}
    cas = content.datasets["5d6c10bd-ea31-4363-8b79-58c96d859f5b"]
    assert cas.title == "CAS Ichthyology (ICH)"
    # 2013 EML gives free-text rights, never a CC licence: no record can be assumed open.
    assert {dataset.licence_class for dataset in content.datasets.values()} == {LicenceClass.UNSPECIFIED}
    peabody = [d for d in content.datasets.values() if "Peabody" in d.rights]
    assert peabody and "may not be repackaged" in peabody[0].rights
    assert "blablabla" in content.citation  # citations.txt as the download delivered it


def test_import_is_a_versioned_point_layer_and_idempotent(dataset_store: DatasetStore, archive: Path) -> None:
    first = import_occurrences(dataset_store, archive, "fish-occurrences", clock=clock)
    assert first.created and first.version == 1
    frame = dataset_store.read("fish-occurrences")
    assert len(frame) == first.imported == 49
    assert set(frame.geom_type) == {"Point"}
    assert frame.crs.to_epsg() == 4326
    assert frame["dataset_title"].str.len().min() > 0
    assert first.record.coverage == ("none",)
    # every record is under free-text rights (2013 EML): the layer is restricted until someone accepts them
    assert first.record.access is AccessLevel.RESTRICTED
    again = import_occurrences(dataset_store, archive, "fish-occurrences", clock=clock)
    assert not again.created and again.version == 1
    warnings = dataset_store.get("fish-occurrences").versions[-1].warnings
    assert warnings[0].startswith("gbif-download-dwca.zip: 158 records read, 49 imported, 109 skipped")


def _rewrite(source: Path, target: Path, drop: str = "", replace: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name == drop:
                continue
            new.writestr(name, (replace or {}).get(name, old.read(name)))
    return target


def test_missing_meta_xml_is_a_clear_error_and_stores_nothing(
    dataset_store: DatasetStore, archive: Path, tmp_path: Path
) -> None:
    broken = _rewrite(archive, tmp_path / "no-meta.zip", drop="meta.xml")
    with pytest.raises(MalformedInputError, match=r"no meta\.xml") as error:
        import_occurrences(dataset_store, broken, "broken", clock=clock)
    assert "no-meta.zip" in str(error.value)
    assert [record.id for record in dataset_store.list_datasets()] == []


def test_unknown_terms_are_named_and_bad_values_reported_per_record(archive: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(archive) as zipped:
        meta = zipped.read("meta.xml").decode("utf-8")
        rows = _independent_rows(archive)
    meta = meta.replace("http://rs.gbif.org/terms/1.0/created", "http://example.org/terms/madeUp")
    placed = [row for row in rows if row[LAT] and row[LON] and row[LAT] != "0.0"]
    placed[0][LAT] = "95.5"  # out of range
    placed[1][YEAR] = "not-a-year"
    placed[1][28] = "sometime in spring"
    text = "\n".join("\t".join(row) for row in rows) + "\n"
    broken = _rewrite(
        archive,
        tmp_path / "edited.zip",
        replace={"meta.xml": meta.encode("utf-8"), "occurrence.txt": text.encode("utf-8")},
    )
    content = read_dwca(broken, today=TODAY)
    assert content.unknown_terms == ("http://example.org/terms/madeUp",)
    assert "madeUp" in content.warnings[0]
    out_of_range = [p for p in content.problems if p.record_id == placed[0][0]]
    assert out_of_range and out_of_range[0].fatal and "-90..90" in out_of_range[0].message
    bad_date = [p for p in content.problems if p.record_id == placed[1][0]]
    assert bad_date and not bad_date[0].fatal and bad_date[0].field == "eventDate"
    kept = {item.occurrence_id: item for item in content.occurrences}
    assert kept[placed[1][0]].event_date == "" and placed[0][0] not in kept
    assert len(content.occurrences) == 48  # the rest carried on


def test_an_archive_without_placeable_records_stores_nothing(
    dataset_store: DatasetStore, archive: Path, tmp_path: Path
) -> None:
    rows = _independent_rows(archive)
    for row in rows:
        row[LAT] = row[LON] = ""
    text = "\n".join("\t".join(row) for row in rows) + "\n"
    empty = _rewrite(archive, tmp_path / "unplaced.zip", replace={"occurrence.txt": text.encode("utf-8")})
    with pytest.raises(EmptyInputError):
        import_occurrences(dataset_store, empty, "unplaced", clock=clock)
    assert dataset_store.list_datasets() == []
