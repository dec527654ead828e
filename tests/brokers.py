"""Real Mosquitto brokers for the live tests, each on a free loopback port with a config the test
writes: anonymous, or with robotwork's password file and ACL (the set-up scripts/mosquitto.sh
makes on 1883). A test may stop and start its own broker without touching anyone else's.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from conftest import skip_or_fail
from livesrv import free_port

from robotwork.live.broker import PID_FILE, SERVICE_PASSWORDS, SUBSCRIBER_USER, mosquitto_hash

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
SUBSCRIBER_PASSWORD = "subscriber-secret"
ACL = f"""user {SUBSCRIBER_USER}
topic read robotwork/v1/#

pattern write robotwork/v1/%u/#
"""


class Broker:
    """One Mosquitto process on 127.0.0.1:`port`, its files in `folder`."""

    def __init__(self, folder: Path, *, auth: bool, persist: bool = False) -> None:
        if not Path(MOSQUITTO).exists():
            skip_or_fail("mosquitto is not installed (scripts/system-packages.sh installs it)")
        self.folder, self.auth, self.port = folder, auth, free_port()
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"listener {self.port} 127.0.0.1", f"pid_file {folder / PID_FILE}"]
        lines += ["max_inflight_messages 1000", "max_queued_messages 200000"]  # as scripts/mosquitto.sh
        # With persistence, retained messages outlive a restart, as on scripts/mosquitto.sh's broker.
        lines += [f"persistence true\npersistence_location {folder}/"] if persist else ["persistence false"]
        if auth:
            (folder / SERVICE_PASSWORDS).write_text(
                f"{SUBSCRIBER_USER}:{mosquitto_hash(SUBSCRIBER_PASSWORD)}\n"
            )
            (folder / "passwords").write_text((folder / SERVICE_PASSWORDS).read_text())
            (folder / "acl").write_text(ACL)
            lines += [
                "allow_anonymous false",
                f"password_file {folder / 'passwords'}",
                f"acl_file {folder / 'acl'}",
            ]
        else:
            lines.append("allow_anonymous true")
        if os.geteuid() == 0:
            lines.append("user root")  # stay root, so a reload can read the password file
        (folder / "mosquitto.conf").write_text("\n".join(lines) + "\n")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The subscriber's URL (with its login when the broker checks passwords)."""
        login = f"{SUBSCRIBER_USER}:{SUBSCRIBER_PASSWORD}@" if self.auth else ""
        return f"mqtt://{login}127.0.0.1:{self.port}"

    def start(self) -> "Broker":
        """Start the broker and wait until it accepts connections."""
        log = (self.folder / "mosquitto.log").open("ab")
        self.process = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.folder / "mosquitto.conf")], stdout=log, stderr=log
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not start: {(self.folder / 'mosquitto.log').read_text()}")

    def stop(self) -> None:
        """Stop the broker (SIGTERM to its own process)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None
