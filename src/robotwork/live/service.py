"""`start_live`: the subscriber with everything that hangs off it, as `robotwork live` and
`robotwork serve --mqtt` run it: alerts every half minute, the recorded-while-offline check
every ten minutes."""

import logging
from pathlib import Path

from sqlalchemy import Engine

from robotwork.live.alerts import Alerts
from robotwork.live.evidence import flag_recordings_while_offline
from robotwork.live.subscriber import LiveOptions, LiveSubscriber
from robotwork.policy import Policy
from robotwork.store.files import StoreFiles

log = logging.getLogger(__name__)
ALERTS_EVERY_NS = 30 * 10**9
OFFLINE_CHECK_EVERY_NS = 600 * 10**9


class _Checks:
    """The periodic work after a flush, each at its own pace; a failure is logged, not raised."""

    def __init__(self, subscriber: LiveSubscriber, alerts: Alerts) -> None:
        self.subscriber, self.alerts = subscriber, alerts
        self.next_alerts = self.next_offline = 0

    def __call__(self, now_ns: int) -> None:
        try:
            if now_ns >= self.next_alerts:
                self.next_alerts = now_ns + ALERTS_EVERY_NS
                self.alerts.check(self.subscriber.tracker.snapshot(), now_ns)
            if now_ns >= self.next_offline:
                self.next_offline = now_ns + OFFLINE_CHECK_EVERY_NS
                found = flag_recordings_while_offline(
                    self.subscriber.engine, self.subscriber.files, now_ns=now_ns
                )
                if found:
                    log.info("%d recording(s) flagged: recorded while the robot was offline", found)
        except Exception:
            log.exception("live checks failed; tried again after the next flush")


def start_live(
    url: str,
    engine: Engine,
    files: StoreFiles,
    policy: Policy,
    *,
    webhook: str | None = None,
    broker_folder: Path | None = None,
) -> LiveSubscriber:
    """Connect to the broker at `url` and keep the live status until `stop()` is called."""
    subscriber = LiveSubscriber(url, engine, files, LiveOptions(broker_folder=broker_folder))
    subscriber.options.on_flush.append(_Checks(subscriber, Alerts(engine, policy, webhook=webhook)))
    return subscriber.start()
