"""Composite index maths: normalisation, weighted aggregation with missing data, ranks, sensitivity.

In the spirit of the Environmental Performance Index (EPI): each indicator is made "higher is
better", optionally log-transformed, rescaled to 0-100 between low and high percentiles of the
group's values (values beyond are clipped), and the scores are averaged with weights. A country
with less than ``min_coverage`` of the total weight covered by data gets no score (NO DATA); the
weights of the indicators it has are renormalised. The methodology is data
(``data/index_methodology.json``); the docs explain each choice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "IndexResult",
    "aggregate",
    "competition_ranks",
    "normalise",
    "sensitivity",
    "spearman",
]


def normalise(
    values: Mapping[str, float],
    *,
    higher_is_better: bool,
    transform: str = "none",
    percentiles: tuple[float, float] = (5.0, 95.0),
) -> dict[str, float]:
    """0-100 scores of ``values`` (country -> value); 100 is best within the group.

    ``transform="log"`` takes ``log10(value + 1)`` first (values must be > -1). Bounds are the
    ``percentiles`` of the transformed values (numpy's linear interpolation); with equal bounds
    every country scores 100 (no spread, nothing to tell apart).
    """
    if not values:
        return {}
    codes = sorted(values)
    raw = np.asarray([values[code] for code in codes], dtype=float)
    if transform == "log":
        raw = np.log10(raw + 1.0)
    low, high = (float(np.percentile(raw, percentiles[0])), float(np.percentile(raw, percentiles[1])))
    if high <= low:
        return dict.fromkeys(codes, 100.0)
    scaled = (np.clip(raw, low, high) - low) / (high - low) * 100.0
    if not higher_is_better:
        scaled = 100.0 - scaled
    return {code: float(score) for code, score in zip(codes, scaled, strict=True)}


@dataclass(frozen=True)
class IndexResult:
    """One country's index: ``score`` (None = NO DATA) and the share of the weight its data covers."""

    score: float | None
    coverage: float
    indicators_used: tuple[str, ...]


def aggregate(
    scores: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float],
    *,
    min_coverage: float,
) -> dict[str, IndexResult]:
    """Weighted mean of indicator scores per country (``scores``: indicator -> country -> score)."""
    total = sum(weights.values())
    countries = sorted({code for by_country in scores.values() for code in by_country})
    results: dict[str, IndexResult] = {}
    for code in countries:
        used = tuple(sorted(name for name in weights if code in scores.get(name, {}) and weights[name] > 0))
        covered = sum(weights[name] for name in used)
        coverage = covered / total if total else 0.0
        if not used or coverage + 1e-12 < min_coverage:
            results[code] = IndexResult(None, coverage, used)
            continue
        score = sum(weights[name] * scores[name][code] for name in used) / covered
        results[code] = IndexResult(score, coverage, used)
    return results


def competition_ranks(scores: Mapping[str, float | None]) -> dict[str, int]:
    """1 = best; equal scores share the better rank (1, 2, 2, 4); NO DATA is not ranked."""
    ordered = sorted(((-score, code) for code, score in scores.items() if score is not None))
    ranks: dict[str, int] = {}
    for position, (negative, code) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if previous is not None and math.isclose(previous[0], negative, abs_tol=1e-9):
            ranks[code] = ranks[previous[1]]
        else:
            ranks[code] = position
    return ranks


def _average_ranks(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    order = np.argsort(array, kind="stable")
    ranks = np.empty(len(array), dtype=float)
    ranks[order] = np.arange(1, len(array) + 1, dtype=float)
    for value in np.unique(array):
        tied = array == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def spearman(first: Mapping[str, float], second: Mapping[str, float]) -> float | None:
    """Spearman's rank correlation over the countries in both (average ranks for ties)."""
    common = sorted(set(first) & set(second))
    if len(common) < 3:
        return None
    a = _average_ranks([first[code] for code in common])
    b = _average_ranks([second[code] for code in common])
    if a.std() == 0 or b.std() == 0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def _scored(results: Mapping[str, IndexResult]) -> dict[str, float]:
    return {code: result.score for code, result in results.items() if result.score is not None}


def sensitivity(
    scores: Mapping[str, Mapping[str, float]],
    weights: Mapping[str, float],
    *,
    min_coverage: float,
    draws: int,
    seed: int,
) -> dict[str, object]:
    """How the ranking moves when the weights change.

    Scenarios: equal weights; each indicator left out in turn; ``draws`` weight vectors from a flat
    Dirichlet distribution (numpy ``default_rng(seed)``). For each: Spearman's correlation with the
    baseline ranking, and the largest rank change of any country.
    """
    baseline = _scored(aggregate(scores, weights, min_coverage=min_coverage))
    base_ranks = competition_ranks(dict(baseline))
    names = sorted(weights)
    scenarios: list[tuple[str, dict[str, float]]] = [("equal_weights", dict.fromkeys(names, 1.0))]
    scenarios += [
        (f"without:{name}", {other: weights[other] for other in names if other != name}) for name in names
    ]
    generator = np.random.default_rng(seed)
    for number in range(draws):
        drawn = generator.dirichlet(np.ones(len(names)))
        scenarios.append(
            (f"random:{number + 1}", {name: float(w) for name, w in zip(names, drawn, strict=True)})
        )
    rows: list[dict[str, object]] = []
    worst_shift: dict[str, int] = dict.fromkeys(base_ranks, 0)
    for label, scenario in scenarios:
        other = _scored(aggregate(scores, scenario, min_coverage=min_coverage))
        ranks = competition_ranks(dict(other))
        shifts = {code: abs(ranks[code] - base_ranks[code]) for code in base_ranks if code in ranks}
        for code, shift in shifts.items():
            worst_shift[code] = max(worst_shift[code], shift)
        rows.append(
            {
                "scenario": label,
                "spearman": spearman(baseline, other),
                "max_rank_change": max(shifts.values(), default=0),
                "countries": len(other),
            }
        )
    random_rows = [row["spearman"] for row in rows if str(row["scenario"]).startswith("random:")]
    correlations = [float(value) for value in random_rows if isinstance(value, float)]
    return {
        "scenarios": rows,
        "random_draws": draws,
        "seed": seed,
        "random_spearman_median": float(np.median(correlations)) if correlations else None,
        "random_spearman_min": min(correlations) if correlations else None,
        "largest_rank_change_by_country": dict(sorted(worst_shift.items())),
    }
