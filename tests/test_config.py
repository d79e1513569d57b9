"""Settings: defaults, environment variables, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenbri.config import ENVIRONMENT_VARIABLES, load_settings
from greenbri.core.errors import ConfigurationError


def test_defaults_follow_the_xdg_data_home() -> None:
    settings = load_settings({"HOME": "/home/ana", "XDG_DATA_HOME": "/srv/data"})
    assert settings.data_dir == Path("/srv/data/greenbri")
    assert settings.effective_cache_dir == Path("/srv/data/greenbri/cache")
    assert settings.boundary_view == "china"
    assert settings.store == "embedded"


def test_every_setting_has_a_variable_that_sets_it() -> None:
    environment = {
        "HOME": "/home/ana",
        "GREENBRI_DATA_DIR": "/d",
        "GREENBRI_MIRROR": "/m",
        "GREENBRI_CACHE_DIR": "/c",
        "GREENBRI_BOUNDARY_VIEW": "de_facto",
        "GREENBRI_MAX_INPUT_BYTES": "1000",
        "GREENBRI_HTTP_TIMEOUT_S": "5",
        "GREENBRI_HTTP_RETRIES": "2",
        "GREENBRI_LOCK_TIMEOUT_S": "0",
        "GREENBRI_STORE": "embedded",
        "GREENBRI_STANDARDS_DIR": "/s",
        "GREENBRI_PLANS_FILE": "/p/plans.json",
        "GREENBRI_API_ANONYMOUS_RATE_PER_MINUTE": "60",
        "GREENBRI_API_KEY_RATE_PER_MINUTE": "600",
        "GREENBRI_API_MAX_ITEMS": "500",
        "GREENBRI_WEB_DIR": "~/web",
        "GREENBRI_TRUSTED_PROXIES": "10.0.0.5, 192.168.1.0/24,::1",
        "GREENBRI_GBIF_API_URL": "https://gbif-mirror.example.org/v1",
    }
    settings = load_settings(environment)
    assert set(environment) - {"HOME"} == set(ENVIRONMENT_VARIABLES.values())
    assert (settings.data_dir, settings.mirror, settings.cache_dir) == (Path("/d"), "/m", Path("/c"))
    assert (settings.max_input_bytes, settings.http_retries, settings.lock_timeout_s) == (1000, 2, 0)
    assert (
        settings.api_anonymous_rate_per_minute,
        settings.api_key_rate_per_minute,
        settings.api_max_items,
    ) == (
        60,
        600,
        500,
    )
    assert settings.api_web_dir == Path("~/web").expanduser()
    assert settings.plans_file == Path("/p/plans.json")
    assert settings.api_trusted_proxies == ("10.0.0.5/32", "192.168.1.0/24", "::1/128")
    assert settings.gbif_api_url == "https://gbif-mirror.example.org/v1"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("GREENBRI_MAX_INPUT_BYTES", "lots", "GREENBRI_MAX_INPUT_BYTES='lots' is invalid"),
        ("GREENBRI_HTTP_RETRIES", "0", "GREENBRI_HTTP_RETRIES='0' is invalid"),
        ("GREENBRI_STORE", "oracle://x", "only 'embedded'"),
        ("GREENBRI_TRUSTED_PROXIES", "10.0.0.5,proxy.local", "'proxy.local' is not an IP address or CIDR"),
        ("GREENBRI_TRUSTED_PROXIES", "*", "'\\*' is not an IP address"),
        ("GREENBRI_GBIF_API_URL", "api.gbif.org/v1", "GREENBRI_GBIF_API_URL='api.gbif.org/v1' is invalid"),
    ],
)
def test_a_bad_value_names_the_variable(variable: str, value: str, expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected) as raised:
        load_settings({"HOME": "/h", variable: value})
    assert "docs/user-guide.md" in str(raised.value)


def test_the_user_guide_documents_every_variable() -> None:
    guide = (Path(__file__).resolve().parents[1] / "docs" / "user-guide.md").read_text(encoding="utf-8")
    missing = [variable for variable in ENVIRONMENT_VARIABLES.values() if f"`{variable}`" not in guide]
    assert missing == []
