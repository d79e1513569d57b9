"""Candidate (project, receptor) pairs from a shapely STRtree, never missing one within a distance.

Each project's bounding box is widened by :func:`~greenbri.core.screening.ellipsoid.envelope_margin_deg`
(latitude-aware, conservative: it uses the smallest metres per degree in the band), so every
receptor within ``max_distance_m`` has an envelope that meets the widened box. Boxes that cross
the antimeridian are split into a part on each side; boxes whose band reaches a pole take all
longitudes. The tree holds the receptors' own envelopes in longitude/latitude.
"""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray

from greenbri.core.screening.ellipsoid import envelope_margin_deg

__all__ = ["candidate_pairs", "query_boxes"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def query_boxes(bounds: FloatArray, max_distance_m: float) -> tuple[FloatArray, IntArray]:
    """Widened boxes ``(k, 4)`` and the project each belongs to (a project may own two or three).

    ``bounds`` is ``(n, 4)``: ``minx, miny, maxx, maxy`` in degrees.
    """
    lon_margin, lat_margin = envelope_margin_deg(bounds[:, 1], bounds[:, 3], max_distance_m)
    low_x = bounds[:, 0] - lon_margin
    high_x = bounds[:, 2] + lon_margin
    whole = ~np.isfinite(lon_margin) | (high_x - low_x >= 360.0)
    low_x = np.where(whole, -180.0, low_x)
    high_x = np.where(whole, 180.0, high_x)
    low_y = np.maximum(bounds[:, 1] - lat_margin, -90.0)
    high_y = np.minimum(bounds[:, 3] + lat_margin, 90.0)
    owner = np.arange(len(bounds), dtype=np.int64)
    main = np.column_stack([np.maximum(low_x, -180.0), low_y, np.minimum(high_x, 180.0), high_y])
    west = low_x < -180.0
    east = high_x > 180.0
    wrapped_west = np.column_stack(
        [low_x[west] + 360.0, low_y[west], np.full(west.sum(), 180.0), high_y[west]]
    )
    wrapped_east = np.column_stack(
        [np.full(east.sum(), -180.0), low_y[east], high_x[east] - 360.0, high_y[east]]
    )
    boxes = np.concatenate([main, wrapped_west, wrapped_east])
    owners = np.concatenate([owner, owner[west], owner[east]])
    return boxes, owners


def candidate_pairs(
    tree: shapely.STRtree, bounds: FloatArray, max_distance_m: float
) -> tuple[IntArray, IntArray]:
    """``(project_index, feature_index)`` of every receptor whose envelope may lie within reach.

    Sorted by project, then feature; no duplicates.
    """
    if len(bounds) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    boxes, owners = query_boxes(bounds, max_distance_m)
    box_index, feature = tree.query(shapely.box(boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]))
    project = owners[box_index]
    if len(boxes) > len(bounds):
        size = max(len(tree), 1)
        key = np.unique(project.astype(np.int64) * size + feature)
        return key // size, key % size
    order = np.lexsort((feature, project))
    return project[order].astype(np.int64), feature[order].astype(np.int64)
