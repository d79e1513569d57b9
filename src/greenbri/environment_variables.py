"""The GREENBRI_* environment variables, apart from the settings model so that reading their
names (``greenbri --help``) does not import pydantic."""

from __future__ import annotations

__all__ = ["ENVIRONMENT_VARIABLES"]

#: Setting name -> environment variable, documented in docs/user-guide.md.
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "data_dir": "GREENBRI_DATA_DIR",
    "store": "GREENBRI_STORE",
    "mirror": "GREENBRI_MIRROR",
    "cache_dir": "GREENBRI_CACHE_DIR",
    "boundary_view": "GREENBRI_BOUNDARY_VIEW",
    "max_input_bytes": "GREENBRI_MAX_INPUT_BYTES",
    "http_timeout_s": "GREENBRI_HTTP_TIMEOUT_S",
    "http_retries": "GREENBRI_HTTP_RETRIES",
    "lock_timeout_s": "GREENBRI_LOCK_TIMEOUT_S",
    "standards_dir": "GREENBRI_STANDARDS_DIR",
    "plans_file": "GREENBRI_PLANS_FILE",
    "api_anonymous_rate_per_minute": "GREENBRI_API_ANONYMOUS_RATE_PER_MINUTE",
    "api_key_rate_per_minute": "GREENBRI_API_KEY_RATE_PER_MINUTE",
    "api_max_items": "GREENBRI_API_MAX_ITEMS",
    "api_web_dir": "GREENBRI_WEB_DIR",
    "api_trusted_proxies": "GREENBRI_TRUSTED_PROXIES",
    "gbif_api_url": "GREENBRI_GBIF_API_URL",
}
