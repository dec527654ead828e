"""The S3 server of `scripts/services.sh` for tests: its address and keys, a fresh prefix per test,
and a private server of a test's own for the tests that stop one mid-write."""

import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The defaults of scripts/services.sh; the environment wins (another endpoint, other keys).
ENVIRONMENT = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:18333",
    "AWS_ACCESS_KEY_ID": "robotwork",
    "AWS_SECRET_ACCESS_KEY": "robotwork-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}
BUCKET = "robotwork-test"
RESTRICTED = {"AWS_ACCESS_KEY_ID": "restricted", "AWS_SECRET_ACCESS_KEY": "restricted-secret"}
RESTRICTED_BUCKET = "robotwork-restricted"
WEED = Path(sys.executable).parent / "weed"


def use_services() -> None:
    """Point the AWS variables at the services' S3 server unless they point somewhere already."""
    for key, value in ENVIRONMENT.items():
        os.environ.setdefault(key, value)


def answers(endpoint: str) -> bool:
    """Whether something accepts connections at an http://host:port endpoint."""
    host, port = endpoint.split("://", 1)[1].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def remove_prefix(root: str) -> None:
    """Delete everything under an s3:// root (a test's prefix)."""
    from robotwork.store.files import StoreFiles

    files = StoreFiles(root)
    if files.fs.exists(files.root):
        files.fs.rm(files.root, recursive=True)


@pytest.fixture(scope="session")
def s3_bucket() -> str:
    """The test bucket on the services' S3 server (started by `scripts/services.sh up`)."""
    from conftest import skip_or_fail

    use_services()
    if not answers(os.environ["AWS_ENDPOINT_URL"]):
        skip_or_fail(f"no S3 server at {os.environ['AWS_ENDPOINT_URL']}: run scripts/services.sh up")
    return BUCKET


@pytest.fixture
def s3_root(s3_bucket: str) -> Iterator[str]:
    """A store root of this test's own: a fresh prefix in the test bucket, removed afterwards."""
    root = f"s3://{s3_bucket}/t-{uuid.uuid4().hex[:16]}"
    yield root
    remove_prefix(root)


def free_port() -> int:
    """A TCP port nothing listens on now, nor on the port 10000 above it (SeaweedFS's gRPC)."""
    rng = random.Random()
    while True:
        port = rng.randrange(20000, 45000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port


class PrivateS3:
    """A SeaweedFS server of one test's own (on free ports, data in a temporary folder), which
    the test may stop while a write is under way; the services' server is never touched."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server with the services' keys and wait until a bucket can be made."""
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        config = self.folder / "s3.json"
        env = ENVIRONMENT
        keys = {"accessKey": env["AWS_ACCESS_KEY_ID"], "secretKey": env["AWS_SECRET_ACCESS_KEY"]}
        admin = {"name": "robotwork", "credentials": [keys], "actions": ["Admin", "Read", "List", "Write"]}
        config.write_text(json.dumps({"identities": [admin]}))
        master = free_port()
        args = [
            str(WEED), "server", f"-dir={self.folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-volume.port={free_port()}", f"-filer.port={free_port()}",
            "-master.volumeSizeLimitMB=64", "-volume.max=0", "-master.telemetry=false",
            f"-filer.localSocket={self.folder / 'filer.sock'}", f"-s3.localSocket={self.folder / 's3.sock'}",
            "-s3", f"-s3.port={self.port}", "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
        ]  # fmt: skip
        log = (self.folder / "weed.log").open("wb")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if answers(self.endpoint) and self._make_bucket():
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"private SeaweedFS did not start; see {self.folder / 'weed.log'}")

    def _make_bucket(self) -> bool:
        import s3fs

        fs = s3fs.S3FileSystem(
            client_kwargs={"endpoint_url": self.endpoint},
            key=ENVIRONMENT["AWS_ACCESS_KEY_ID"],
            secret=ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
            skip_instance_cache=True,
            config_kwargs={"connect_timeout": 2, "read_timeout": 5, "retries": {"max_attempts": 1}},
        )
        try:
            if not fs.exists(BUCKET):
                fs.mkdir(BUCKET)
            fs.ls(BUCKET)
            return True
        except Exception:  # not ready yet: any failure means try again
            return False

    def stop(self) -> None:
        """Kill the server at once (as a crash or a pulled cable would)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
