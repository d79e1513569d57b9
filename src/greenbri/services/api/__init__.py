"""The greenbri web API (FastAPI): REST under ``/v1``, OGC API - Features at the root, tiles under ``/tiles``."""

from greenbri.services.api.app import create_app

__all__ = ["create_app"]
