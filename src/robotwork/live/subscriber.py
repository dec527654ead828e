"""robotwork's own MQTT client: subscribe to every robot's live topics, keep the picture, write it.

paho-mqtt's network thread receives and applies messages; a flush thread writes the robots
that changed to the registry (every `flush_s`), appends state changes to the store's time
series (every `series_s`), marks silent robots stale, raises alerts and keeps the broker's
passwords in step with device tokens. paho reconnects on its own with a growing delay (1 s up
to 30 s); every (re)connect subscribes again, and the broker's retained ``connection`` messages
give back the picture of who is online. A message that breaks the contract is counted and
logged with its topic, never raised.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from sqlalchemy import Engine

from robotwork.errors import RobotworkError
from robotwork.live.broker import SUBSCRIBER_USER, subscriber_password, sync_broker
from robotwork.live.contract import SUBSCRIPTIONS, MalformedMessage, read_message
from robotwork.live.persist import read_rows, write_events, write_rows
from robotwork.live.tracker import STALE_AFTER_S, Tracker
from robotwork.store.files import StoreFiles

log = logging.getLogger(__name__)
KEEPALIVE_S = 30


@dataclass(frozen=True)
class BrokerAddress:
    """Where the broker is and how to log in, from an ``mqtt://user:password@host:port`` URL."""

    host: str
    port: int
    tls: bool
    username: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> "BrokerAddress":
        """Read ``mqtt://`` (plain, port 1883) or ``mqtts://`` (TLS, port 8883) URLs."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise RobotworkError(f"--mqtt {url!r}: expected mqtt://[user:password@]host[:port] (or mqtts://)")
        tls = parts.scheme == "mqtts"
        try:
            port = parts.port or (8883 if tls else 1883)
        except ValueError:
            raise RobotworkError(f"--mqtt {url!r}: bad port") from None
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(parts.hostname, port, tls, user, password)

    def with_local_login(self, folder: Path | None) -> "BrokerAddress":
        """Without a login in the URL, the subscriber account scripts/mosquitto.sh set up."""
        if self.username:
            return self
        password = subscriber_password(folder)
        return (
            self
            if password is None
            else BrokerAddress(self.host, self.port, self.tls, SUBSCRIBER_USER, password)
        )


@dataclass
class LiveOptions:
    """How often the subscriber writes and checks; the defaults are the service's."""

    flush_s: float = 0.5
    series_s: float = 60.0
    stale_after_s: float = STALE_AFTER_S
    broker_sync_s: float = 60.0
    broker_folder: Path | None = None
    client_id: str = ""
    on_flush: list[Callable[[int], None]] = field(default_factory=list)


class LiveSubscriber:
    """Subscribe, track and write until `stop`; `start` returns at once."""

    def __init__(
        self, url: str, engine: Engine, files: StoreFiles, options: LiveOptions | None = None
    ) -> None:
        self.options = options or LiveOptions()
        self.address = BrokerAddress.parse(url).with_local_login(self.options.broker_folder)
        self.engine, self.files = engine, files
        self.tracker = Tracker(read_rows(engine), stale_after_s=self.options.stale_after_s)
        self.stats: dict[str, int] = {"received": 0, "malformed": 0, "connects": 0, "write_failures": 0}
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._series: list[dict[str, Any]] = []
        self._client = self._make_client()
        self._thread = threading.Thread(target=self._flush_loop, name="robotwork-live-flush", daemon=True)

    def _make_client(self) -> mqtt.Client:
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=self.options.client_id, protocol=mqtt.MQTTv311
        )
        if self.address.username:
            client.username_pw_set(self.address.username, self.address.password)
        if self.address.tls:
            client.tls_set()
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    def start(self) -> "LiveSubscriber":
        """Connect (retrying until the broker answers) and start writing."""
        self._client.connect_async(self.address.host, self.address.port, keepalive=KEEPALIVE_S)
        self._client.loop_start()
        self._thread.start()
        return self

    def stop(self) -> None:
        """Disconnect, then write everything still held (the current rows and the series)."""
        self._stop.set()
        self._thread.join()
        self._client.disconnect()
        self._client.loop_stop()
        self.flush(series=True)

    def _on_connect(self, client: mqtt.Client, _data: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.error(
                "MQTT broker %s:%s refused the subscriber: %s", self.address.host, self.address.port, reason
            )
            return
        self.stats["connects"] += 1
        client.subscribe([(t, 1) for t in SUBSCRIPTIONS])
        self.connected.set()
        log.info("subscribed to %s on %s:%s", ", ".join(SUBSCRIPTIONS), self.address.host, self.address.port)

    def _on_disconnect(self, _client: mqtt.Client, _data: Any, _flags: Any, reason: Any, _props: Any) -> None:
        self.connected.clear()
        if not self._stop.is_set():
            log.warning("lost the MQTT broker (%s); reconnecting", reason)

    def _on_message(self, _client: mqtt.Client, _data: Any, message: mqtt.MQTTMessage) -> None:
        received = time.time_ns()
        self.stats["received"] += 1
        try:
            self.tracker.apply(read_message(message.topic, message.payload), received)
        except MalformedMessage as exc:
            self.stats["malformed"] += 1
            log.warning("malformed live message: %s", exc)
        except Exception:  # a bug must not stop the network thread for every other robot
            self.stats["malformed"] += 1
            log.exception("live message on %s not applied", message.topic)

    def flush(self, *, now_ns: int | None = None, series: bool = False) -> None:
        """Mark silent robots stale, write changed rows; with `series`, the held state changes."""
        now_ns = now_ns or time.time_ns()
        self.tracker.expire(now_ns)
        changed, events = self.tracker.drain()
        try:
            write_rows(self.engine, changed)
        except Exception:
            self.stats["write_failures"] += 1
            log.exception("live rows not written; kept for the next flush")
            self.tracker.restore(changed, events)
            return
        self._series.extend(events)
        if series and self._series:
            try:
                write_events(self.files, self._series)
                self._series = []
            except Exception:
                self.stats["write_failures"] += 1
                log.exception("live time series not written; kept for the next flush")
        for hook in self.options.on_flush:
            hook(now_ns)

    def _flush_loop(self) -> None:
        next_series = time.monotonic() + self.options.series_s
        next_sync = time.monotonic()
        while not self._stop.wait(self.options.flush_s):
            now = time.monotonic()
            self.flush(series=now >= next_series)
            if now >= next_series:
                next_series = now + self.options.series_s
            if now >= next_sync:
                next_sync = now + self.options.broker_sync_s
                self._sync_broker()

    def _sync_broker(self) -> None:
        """Expired tokens leave the broker without any event; a periodic sync drops them."""
        try:
            sync_broker(self.engine, self.options.broker_folder)
        except Exception:
            log.exception("broker passwords not synced")
