"""Read a Darwin Core Archive as GBIF downloads deliver it, with python-dwca-reader.

A GBIF download is a zip with ``meta.xml`` (which column holds which Darwin Core term),
``occurrence.txt`` (the core), ``metadata.xml`` (the download's EML), ``dataset/<key>.xml`` (each
contributing dataset's EML, with its title, citation and ``intellectualRights``),
``citations.txt`` and ``rights.txt``. :func:`read_dwca` returns every record cleaned by
:func:`greenbri.core.biodiversity.occurrence.clean_occurrence` and, for each contributing
dataset, the title, rights text, licence and citation an output must carry. Records that cannot
be placed are reported one by one and left out; the rest are kept.

Archive format: TDWG, *Darwin Core Text Guide* (2023-09-18), https://dwc.tdwg.org/text/.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from greenbri.core.biodiversity.licences import LicenceClass, classify_licence
from greenbri.core.biodiversity.occurrence import Occurrence, RecordProblem, clean_occurrence
from greenbri.core.errors import InputError, MalformedInputError

__all__ = ["KNOWN_TERM_NAMESPACES", "ArchiveDataset", "DwcaContent", "read_dwca"]

logger = logging.getLogger(__name__)

#: Term namespaces greenbri knows: Darwin Core, GBIF's own terms, Dublin Core terms.
KNOWN_TERM_NAMESPACES = (
    "http://rs.tdwg.org/dwc/terms/",
    "http://rs.gbif.org/terms/1.0/",
    "http://purl.org/dc/terms/",
    "http://rs.tdwg.org/ac/terms/",
)
_OCCURRENCE_ROW_TYPE = "http://rs.tdwg.org/dwc/terms/Occurrence"
_DOI = re.compile(r"\b10\.\d{4,9}/\S+")


@dataclass(frozen=True)
class ArchiveDataset:
    """One dataset that contributed records, as its EML describes it."""

    key: str
    title: str
    rights: str
    licence: str
    licence_class: LicenceClass
    citation: str
    doi: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "title": self.title,
            "rights": self.rights,
            "licence": self.licence,
            "licence_class": self.licence_class.value,
            "citation": self.citation,
            "doi": self.doi,
        }


@dataclass
class DwcaContent:
    """What an archive holds, cleaned."""

    path: Path
    occurrences: list[Occurrence]
    problems: list[RecordProblem]
    datasets: dict[str, ArchiveDataset]
    citation: str
    rights: str
    unknown_terms: tuple[str, ...]
    rows_read: int = 0
    warnings: list[str] = field(default_factory=list)


def _check_archive(path: Path) -> None:
    if not path.is_file():
        raise InputError("The file does not exist.", source=str(path), hint="check the path.")
    if not zipfile.is_zipfile(path):
        raise MalformedInputError(
            "This is not a zip file, so not a Darwin Core Archive.",
            source=path.name,
            hint="pass the .zip a GBIF download (format 'Darwin Core Archive') delivers, unopened.",
        )
    with zipfile.ZipFile(path) as archive:
        names = {Path(name).name for name in archive.namelist() if not name.startswith("__MACOSX")}
    if "meta.xml" not in names:
        raise MalformedInputError(
            "The archive has no meta.xml, so the columns of its data file cannot be matched to "
            "Darwin Core terms.",
            source=path.name,
            hint="download the archive again from GBIF (format 'Darwin Core Archive'); a 'simple CSV' "
            "download is not an archive.",
        )


def _text(element: Element | None, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    if found is None:
        return ""
    return " ".join("".join(found.itertext()).split())


def _licence_url(rights: Element | None) -> str:
    if rights is None:
        return ""
    for link in rights.iter("ulink"):
        url = link.get("url", "")
        if url:
            return url
    return ""


def _dataset(key: str, eml: Element) -> ArchiveDataset:
    rights_element = eml.find("dataset/intellectualRights")
    rights = _text(eml, "dataset/intellectualRights")
    licence = _licence_url(rights_element) or rights
    citation = _text(eml, "additionalMetadata/metadata/gbif/citation")
    identifiers = " ".join(_text(item, ".") for item in eml.findall("dataset/alternateIdentifier"))
    doi = _DOI.search(identifiers)
    title = _text(eml, "dataset/title") or key
    return ArchiveDataset(
        key=key,
        title=title,
        rights=rights,
        licence=licence,
        licence_class=classify_licence(licence),
        citation=citation or f"{title}. GBIF dataset {key}.",
        doi=doi.group(0) if doi else "",
    )


def _included_text(reader: Any, name: str) -> str:
    try:
        with reader.open_included_file(name) as handle:
            return " ".join(str(handle.read()).split())
    except (OSError, KeyError):
        return ""


def _short_terms(row_data: dict[str, str]) -> dict[str, str]:
    return {term.rsplit("/", 1)[-1]: value for term, value in row_data.items()}


def _unknown_terms(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(term for term in terms if not term.startswith(KNOWN_TERM_NAMESPACES)))


def read_dwca(path: Path, *, today: date) -> DwcaContent:
    """Every occurrence of the archive at ``path``, cleaned; per-record problems; dataset rights.

    Raises :class:`~greenbri.core.errors.MalformedInputError` when the file is not a Darwin Core
    Archive (not a zip, no ``meta.xml``, a core that is not occurrences, a file that does not parse).
    """
    from dwca.read import DwCAReader  # heavy-ish: imported when an archive is read

    path = Path(path)
    _check_archive(path)
    try:
        reader = DwCAReader(str(path))
    except Exception as error:  # the library raises assorted parse errors
        raise MalformedInputError(
            f"The archive cannot be read: {error}.",
            source=path.name,
            hint="check that meta.xml is well-formed XML and names the data files the zip holds.",
        ) from None
    with reader:
        core = reader.descriptor.core
        if core.type != _OCCURRENCE_ROW_TYPE:
            raise MalformedInputError(
                f"The archive's core holds {core.type}, not occurrences ({_OCCURRENCE_ROW_TYPE}).",
                source=path.name,
                hint="import an occurrence download (GBIF: 'Darwin Core Archive' of occurrences).",
            )
        datasets = {key: _dataset(key, eml) for key, eml in sorted((reader.source_metadata or {}).items())}
        content = DwcaContent(
            path=path,
            occurrences=[],
            problems=[],
            datasets=datasets,
            citation=_included_text(reader, "citations.txt"),
            rights=_included_text(reader, "rights.txt"),
            unknown_terms=_unknown_terms(core.terms),
        )
        if content.unknown_terms:
            content.warnings.append(
                f"{path.name}: {len(content.unknown_terms)} term(s) outside Darwin Core and GBIF's terms "
                f"were ignored: {', '.join(content.unknown_terms)}."
            )
        _read_rows(reader, content, today)
    logger.info("read %d of %d records from %s", len(content.occurrences), content.rows_read, path.name)
    return content


def _read_rows(reader: Any, content: DwcaContent, today: date) -> None:
    for number, core_row in enumerate(reader, start=1):
        content.rows_read += 1
        raw = _short_terms(core_row.data)
        raw.setdefault("id", core_row.id or "")
        key = raw.get("datasetKey") or raw.get("datasetID") or ""
        dataset = content.datasets.get(key)
        cleaned = clean_occurrence(
            raw, row=number, today=today, dataset_licence=dataset.licence if dataset else "", dataset_key=key
        )
        if isinstance(cleaned, RecordProblem):
            content.problems.append(cleaned)
            continue
        content.problems.extend(cleaned.problems)
        content.occurrences.append(cleaned)
