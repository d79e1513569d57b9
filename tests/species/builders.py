"""CONSTRUCTED occurrence records for tests (no real file holds a threatened species)."""

from __future__ import annotations

from greenbri.core.biodiversity.licences import LicenceClass
from greenbri.core.biodiversity.occurrence import Occurrence
from greenbri.core.biodiversity.redlist import RedListCategory


def constructed_record(
    lon: float, lat: float, category: str, number: int, licence: LicenceClass, year: int
) -> Occurrence:
    """CONSTRUCTED record (no real file holds a threatened species)."""
    urls = {
        LicenceClass.CC_BY: "http://creativecommons.org/licenses/by/4.0/legalcode",
        LicenceClass.CC_BY_NC: "http://creativecommons.org/licenses/by-nc/4.0/legalcode",
        LicenceClass.UNSPECIFIED: "ask the curator",
    }
    return Occurrence(
        occurrence_id=f"constructed-{number}",
        dataset_key="constructed-dataset",
        scientific_name=f"Species {category}",
        lon=lon,
        lat=lat,
        species=f"Species {category}",
        taxon_key=f"taxon-{category}",
        taxon_rank="SPECIES",
        red_list_category=RedListCategory(category),
        event_date=str(year),
        year=year,
        basis_of_record="HUMAN_OBSERVATION",
        coordinate_uncertainty_m=250.0,
        country_code="KZ",
        licence=urls[licence],
        licence_class=licence,
    )
