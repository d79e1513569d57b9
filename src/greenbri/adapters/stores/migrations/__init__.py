"""Versioned SQL migrations of the PostGIS store, applied in order by
:mod:`greenbri.adapters.stores.postgis_migrations`. Files are named ``NNNN_what.sql``; a
published file is never edited, a change is a new file."""
