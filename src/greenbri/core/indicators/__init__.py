"""Country indicators, country groups, trends, targets and the composite index (pure domain).

Nothing here reads a user file or the network; the bundled JSON documents in ``data/`` are read
through :mod:`importlib.resources` by :mod:`greenbri.core.indicators.data_files`.
"""
