"""What a caller sees of a plan status record: evidence through the access rule and the recorder only
for key holders, in the record itself and in every milestone record an evaluation row carries (a
milestone's evidence and recorder were once returned unfiltered to anyone)."""

from __future__ import annotations

from greenbri.services.api.routers.plans import _masked


def _record(dataset: str) -> dict:
    return {
        "status": "in_progress",
        "recorded_by": "api-key:abc (org-b)",
        "evidence": [
            {"kind": "dataset_version", "reference": f"{dataset}@v1", "detail": {"title": "Secret"}}
        ],
    }


def test_milestone_records_are_masked_like_the_item() -> None:
    row = {**_record("org-b-sites"), "milestones": [{"id": "m1", **_record("org-b-sites")}]}
    shown = _masked(row, readable={"countries"}, keyed=False)
    for record in (shown, shown["milestones"][0]):
        assert record["recorded_by"] == "—"
        assert record["evidence"] == [{"kind": "dataset_version", "reference": "restricted", "detail": {}}]
    assert "Secret" not in repr(shown)
    # the caller's own readable dataset and a key holder's view are kept
    kept = _masked(row, readable={"org-b-sites"}, keyed=True)
    assert kept["milestones"][0]["evidence"][0]["reference"] == "org-b-sites@v1"
    assert kept["milestones"][0]["recorded_by"] == "api-key:abc (org-b)"
    assert row["milestones"][0]["recorded_by"] == "api-key:abc (org-b)"  # the input is not changed
