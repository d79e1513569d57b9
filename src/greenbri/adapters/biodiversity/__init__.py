"""Biodiversity inputs: Darwin Core Archives (GBIF downloads); the GBIF API is in ``adapters.sources.gbif``."""
