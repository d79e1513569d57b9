"""Webhook delivery against a real HTTP server on 127.0.0.1: signature, retries, no retry on 4xx."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from greenbri.adapters.monitoring.alert_history import AlertHistory
from greenbri.adapters.monitoring.webhooks import Webhook, WebhookSender, sign, verify_signature
from greenbri.core.errors import DeliveryError
from greenbri.usecases.monitoring.alerts import AlertDelivery, evaluate_alerts, load_alert_rules

from .conftest import ReadingsLoader

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    """Answers with the queued statuses (then 200) and records each request."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.requests: list[dict[str, Any]] = []


@pytest.fixture()
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"headers": dict(self.headers), "body": body})
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def sender(delays: list[float]) -> WebhookSender:
    return WebhookSender(
        sleep=delays.append, random=lambda: 0.0, backoff_base=1.0, clock=lambda: 1_700_000_000
    )


def test_retries_after_500_and_signs(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    state.statuses = [500, 503]
    delays: list[float] = []
    with sender(delays) as client:
        attempts = client.send(Webhook(url, SECRET), "alert.opened", "a1/opened", {"hello": "世界"})
    assert attempts == 3 and delays == [0.5, 1.0]  # 1 s and 2 s backoff times the jitter factor 0.5
    request = state.requests[-1]
    headers = request["headers"]
    assert headers["X-Greenbri-Event"] == "alert.opened" and headers["X-Greenbri-Delivery"] == "a1/opened"
    timestamp, signature = headers["X-Greenbri-Timestamp"], headers["X-Greenbri-Signature"]
    assert signature == sign(SECRET, timestamp, request["body"])
    assert verify_signature(SECRET, timestamp, request["body"], signature, now=1_700_000_010)
    assert not verify_signature("wrong", timestamp, request["body"], signature, now=1_700_000_010)
    assert not verify_signature(SECRET, timestamp, request["body"] + b" ", signature, now=1_700_000_010)
    assert not verify_signature(SECRET, timestamp, request["body"], signature, now=1_700_001_000)
    assert json.loads(request["body"]) == {"hello": "世界"}


def test_no_retry_on_4xx(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    state.statuses = [401]
    with sender([]) as client, pytest.raises(DeliveryError, match="HTTP 401"):
        client.send(Webhook(url, SECRET), "alert.opened", "a1/opened", {})
    assert len(state.requests) == 1


def test_delivery_error_after_all_attempts(receiver: tuple[Receiver, str]) -> None:
    state, url = receiver
    state.statuses = [500] * 4
    with sender([]) as client, pytest.raises(DeliveryError, match="after 4 attempts"):
        client.send(Webhook(url, SECRET), "alert.opened", "a1/opened", {})
    assert len(state.requests) == 4


def test_connection_refused_is_retried_then_fails() -> None:
    delays: list[float] = []
    with sender(delays) as client, pytest.raises(DeliveryError, match="ConnectError"):
        client.send(Webhook("http://127.0.0.1:9/none"), "alert.opened", "x", {})
    assert len(delays) == 3


def test_evaluation_delivers_opened_alerts_and_records_them(
    receiver: tuple[Receiver, str], beijing_readings: ReadingsLoader, tmp_path: Path
) -> None:
    state, url = receiver
    state.statuses = [500]
    rule = next(rule for rule in load_alert_rules() if rule.id == "aqi-24h-severely-polluted")
    delivery = AlertDelivery([Webhook(url, SECRET, "warning", "ops")], sender([]))
    history = AlertHistory(tmp_path)
    readings = beijing_readings("Dongsi", "2015-11-25", "2015-12-01", ("pm25", "pm10"))
    report = evaluate_alerts(readings, [rule], history, delivery=delivery)
    assert [item["kind"] for item in report.deliveries] == ["delivered"]
    assert report.deliveries[0]["attempts"] == 2
    payload = json.loads(state.requests[-1]["body"])
    assert payload["event"] == "alert.opened" and payload["alert"]["rule_id"] == rule.id
    assert payload["alert"]["message"]["zh"]
    kinds = [record["kind"] for record in history.records()]
    assert kinds == ["opened", "delivered"]
