"""Verbs for country indicators: ingest, list/show, profiles, target tracking and the composite index."""
