"""The one authorisation rule (greenbri.core.access), against the role table of docs/api.md, and
the report inputs it filters (a report credits only what the job used and its caller may read)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from greenbri.core.access import ANONYMOUS, LOCAL_USER, Principal, Role, may_read, may_read_job
from greenbri.core.catalog import (
    AccessLevel,
    Bilingual,
    DatasetRecord,
    DatasetVersion,
    Provenance,
    ReceptorRole,
    Theme,
)
from greenbri.usecases.reports.inputs import report_inputs

ORGANISATIONS = st.sampled_from(["", "org-a", "org-b"])
PRINCIPALS = st.builds(
    Principal,
    key_id=st.sampled_from(["", "k1", "k2"]),
    role=st.sampled_from(list(Role)),
    organisation=ORGANISATIONS,
)


@given(principal=PRINCIPALS, organisation=ORGANISATIONS)
def test_public_resources_are_everyone_s(principal, organisation) -> None:
    assert may_read(principal, AccessLevel.PUBLIC, organisation)


@given(principal=PRINCIPALS, organisation=ORGANISATIONS, owner=st.sampled_from(["", "k1", "k2"]))
def test_restricted_resources_follow_the_role_table(principal, organisation, owner) -> None:
    allowed = may_read(principal, AccessLevel.RESTRICTED, organisation, owner)
    if principal.role is Role.ADMIN:
        assert allowed
    elif principal.role is Role.PUBLIC or principal.anonymous:  # public data only, whatever the organisation
        assert not allowed
    else:  # viewer, analyst: their own organisation's, or what their key submitted
        mine = (organisation != "" and organisation == principal.organisation) or (
            owner != "" and owner == principal.key_id
        )
        assert allowed == mine


def test_a_public_key_of_the_organisation_does_not_see_its_jobs() -> None:
    assert not may_read_job(Principal("k1", Role.PUBLIC, "org-a"), "org-a", "k9")
    assert may_read_job(Principal("k1", Role.VIEWER, "org-a"), "org-a", "k9")
    assert not may_read_job(ANONYMOUS, "", "")


def _record(
    dataset_id: str, access: AccessLevel = AccessLevel.PUBLIC, organisation: str = ""
) -> DatasetRecord:
    provenance = Provenance("2024-01-01T00:00:00+00:00", "test", dataset_id, "0" * 64)
    version = DatasetVersion(number=1, provenance=provenance, schema=(), feature_count=1)
    return DatasetRecord(
        id=dataset_id,
        title=Bilingual(dataset_id, dataset_id),
        theme=Theme.PROTECTED_AREAS,
        receptor_role=ReceptorRole.PROTECTED_AREA,
        access=access,
        organisation=organisation,
        versions=(version,),
    )


class _Catalog:
    """A store that has only a catalog (no countries layer, so nothing is read)."""

    def __init__(self, *records: DatasetRecord) -> None:
        self.records = list(records)

    def list_datasets(self) -> list[DatasetRecord]:
        return self.records


def test_report_inputs_credit_only_used_and_readable_datasets() -> None:
    store = _Catalog(_record("used"), _record("unused"), _record("secret-a", AccessLevel.RESTRICTED, "org-a"))
    used = ["used@v1", "secret-a@v1"]
    outsider = report_inputs(store, principal=Principal("k", Role.ANALYST, "org-b"), used=used)
    insider = report_inputs(store, principal=Principal("k", Role.ANALYST, "org-a"), used=used)
    public_key = report_inputs(store, principal=Principal("k", Role.PUBLIC, "org-a"), used=used)
    assert set(outsider.datasets) == set(public_key.datasets) == {"used"}
    assert set(insider.datasets) == {"used", "secret-a"}
    assert set(report_inputs(store, principal=LOCAL_USER).datasets) == {"used", "unused", "secret-a"}
