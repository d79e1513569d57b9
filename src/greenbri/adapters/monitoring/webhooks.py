"""Delivering alert events to webhooks: HTTP POST of JSON, signed with HMAC-SHA256, retried.

Each delivery is one ``POST`` with a JSON body (UTF-8) and these headers:

=========================  =====================================================================
header                     value
=========================  =====================================================================
``Content-Type``           ``application/json``
``X-Greenbri-Event``       ``alert.opened``, ``alert.auto_resolved``, ``alert.acknowledged``,
                           ``alert.resolved``
``X-Greenbri-Delivery``    a stable id of the event (``<alert id>/<event>``): receivers can use it
                           to drop a repeated delivery
``X-Greenbri-Timestamp``   Unix time in whole seconds when the request was signed
``X-Greenbri-Signature``   ``sha256=<hex>``: HMAC-SHA256 with the webhook's secret over
                           ``<timestamp>.<body bytes>`` (only when a secret is configured)
=========================  =====================================================================

A receiver recomputes the signature with :func:`verify_signature` (or the same four lines in
any language) and refuses requests whose timestamp is more than five minutes away from its clock.

Retries: on a connection error, a timeout, HTTP 429 or any 5xx, up to ``max_attempts`` requests
in all, waiting ``backoff_base * 2**(n-1)`` seconds (capped at ``backoff_max``) times a jitter
factor in ``[0.5, 1.0)`` (the policy of :class:`~greenbri.adapters.sources.http.RetryPolicy`).
Any other 4xx is not retried. A failed delivery raises :class:`~greenbri.core.errors.DeliveryError`.
``transport`` and ``sleep`` are injectable, so tests use neither the network nor the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from greenbri.adapters.sources.http import DEFAULT_USER_AGENT, RetryPolicy
from greenbri.core.errors import DeliveryError

__all__ = ["SIGNATURE_TOLERANCE_S", "Webhook", "WebhookSender", "sign", "verify_signature"]

logger = logging.getLogger(__name__)

#: How far (seconds) a receiver should accept a timestamp from its own clock.
SIGNATURE_TOLERANCE_S = 300


@dataclass(frozen=True)
class Webhook:
    """One receiver: its URL, the secret it shares with greenbri, and the least severity it wants."""

    url: str
    secret: str = ""
    min_severity: str = "info"
    name: str = ""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` with ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    now: float | None = None,
    tolerance_s: float = SIGNATURE_TOLERANCE_S,
) -> bool:
    """Whether ``signature`` is valid for ``body`` and ``timestamp`` is within ``tolerance_s`` of now."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance_s and hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookSender:
    """Posts events to webhooks with signatures and retries (see the module docstring)."""

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        max_attempts: int = 4,
        backoff_base: float = 1.0,
        backoff_max: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        random: Callable[[], float] | None = None,
    ) -> None:
        policy_options: dict[str, Any] = {"random": random} if random is not None else {}
        self.policy = RetryPolicy(
            max_attempts=max_attempts, backoff_base=backoff_base, backoff_max=backoff_max, **policy_options
        )
        self._client = httpx.Client(
            timeout=timeout_s, transport=transport, headers={"User-Agent": DEFAULT_USER_AGENT}
        )
        self._sleep = sleep
        self._clock = clock

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def headers(self, webhook: Webhook, event: str, delivery_id: str, body: bytes) -> dict[str, str]:
        timestamp = str(int(self._clock()))
        headers = {
            "Content-Type": "application/json",
            "X-Greenbri-Event": event,
            "X-Greenbri-Delivery": delivery_id,
            "X-Greenbri-Timestamp": timestamp,
        }
        if webhook.secret:
            headers["X-Greenbri-Signature"] = sign(webhook.secret, timestamp, body)
        return headers

    def send(self, webhook: Webhook, event: str, delivery_id: str, payload: Mapping[str, Any]) -> int:
        """POST ``payload``; return the number of attempts it took. Raises :class:`DeliveryError`."""
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
        last_problem = ""
        for attempt in range(1, self.policy.max_attempts + 1):
            if attempt > 1:
                self._sleep(self.policy.delay(attempt - 1))
            headers = self.headers(webhook, event, delivery_id, body)
            try:
                response = self._client.post(webhook.url, content=body, headers=headers)
            except httpx.TransportError as error:
                last_problem = f"{type(error).__name__}: {error}"
                logger.info("webhook %s attempt %d failed: %s", webhook.url, attempt, last_problem)
                continue
            if response.is_success:
                return attempt
            last_problem = f"HTTP {response.status_code}"
            if not self.policy.is_retryable_status(response.status_code):
                raise DeliveryError(
                    f"Webhook {webhook.url} refused {event} {delivery_id} with HTTP {response.status_code}.",
                    hint="check the URL and the shared secret of the webhook; a 4xx is not retried.",
                )
            logger.info("webhook %s attempt %d failed: %s", webhook.url, attempt, last_problem)
        raise DeliveryError(
            f"Webhook {webhook.url} did not accept {event} {delivery_id} after "
            f"{self.policy.max_attempts} attempts ({last_problem}).",
            hint="check that the receiver is up; the event is kept in the alert history.",
        )
