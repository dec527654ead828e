"""The inbox: uploaded bytes kept durably in the store until their ingest job is done.

An upload is acknowledged (202, "received") only once its bytes are whole under
``_inbox/{recording_id}/{name}``, so a worker on any machine sharing the store can finish it,
and a device retrying the same bytes lands on the same name. The leading underscore keeps the
inbox out of every table glob.
"""

import hashlib
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from robotwork.errors import IngestError
from robotwork.store.telemetry import TelemetryStore

INBOX_DIR = "_inbox"
PREFIX = "inbox:"
_CHUNK = 1 << 20
_NAME = re.compile(r"[\w.-]{1,200}")
_TMP = re.compile(r"\.tmp-(\d+)-[0-9a-f]{32}")


def clean_name(name: str | None, *, default: str = "upload.mcap") -> str:
    """An upload's file name safe as one path element: separators, dots-only and overlong
    names (".", "..", 300 characters) are refused rather than passed to the filesystem."""
    base = (name or default).replace("\\", "/").rsplit("/", 1)[-1]
    if not _NAME.fullmatch(base) or set(base) == {"."}:
        raise IngestError(
            f"upload name {base[:60]!r}: use 1-200 letters, digits, '.', '_' or '-', not only dots"
        )
    return base


def put(store: TelemetryStore, stream: BinaryIO, name: str, *, limit: int | None = None) -> tuple[str, str]:
    """Copy an upload into the inbox while hashing it; return (recording id, job source).

    The bytes go to a unique temporary name first and are published whole; the same bytes
    uploaded twice at once publish the same content under the same name.
    """
    files = store.files
    digest = hashlib.sha256()
    tmp = f"{INBOX_DIR}/.tmp-{int(time.time())}-{uuid.uuid4().hex}"
    files.makedirs(INBOX_DIR)
    written = 0
    try:
        with files.fs.open(files.path(tmp), "wb") as out:
            while block := stream.read(_CHUNK):
                written += len(block)
                if limit is not None and written > limit:
                    raise IngestError(f"{name}: larger than {limit:,} bytes")
                digest.update(block)
                out.write(block)
        recording_id = digest.hexdigest()
        rel = f"{INBOX_DIR}/{recording_id}/{name}"
        files.publish(tmp, rel)
    except BaseException:
        if files.fs.exists(files.path(tmp)):
            files.remove([tmp])
        raise
    return recording_id, PREFIX + rel


def clean_partial(store: TelemetryStore, *, older_than_s: float = 3600.0) -> list[str]:
    """Remove uploads cut off while they were being received (their start time is in the name)
    once they are older than an hour; return what was removed."""
    cutoff = time.time() - older_than_s
    old = [
        rel
        for rel in store.files.find(INBOX_DIR, f"{INBOX_DIR}/.tmp-*")
        if (started := _TMP.fullmatch(rel.rsplit("/", 1)[-1])) and int(started.group(1)) < cutoff
    ]
    store.files.remove(old)
    return old


def is_inbox(source: str) -> bool:
    """Whether a job's source is an upload held in the inbox (else a path on some machine)."""
    return source.startswith(PREFIX)


def exists(store: TelemetryStore, source: str) -> bool:
    """Whether a job's source can still be read from here."""
    if is_inbox(source):
        return bool(store.files.fs.exists(store.files.path(source[len(PREFIX) :])))
    return Path(source).exists()


@contextmanager
def local_copy(store: TelemetryStore, source: str) -> Iterator[Path]:
    """A local path to read a job's source from: the file itself when it is local, else a
    temporary download of the inbox object (readers need a seekable local file)."""
    if not is_inbox(source):
        yield Path(source)
        return
    rel = source[len(PREFIX) :]
    if store.files.local:
        yield Path(store.files.path(rel))
        return
    with tempfile.TemporaryDirectory(prefix="robotwork-inbox-") as folder:
        path = Path(folder) / rel.rsplit("/", 1)[-1]
        with store.files.fs.open(store.files.path(rel), "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst, _CHUNK)
        yield path


def discard(store: TelemetryStore, source: str) -> None:
    """Delete an upload's bytes once its job is counted or refused (no-op for local paths)."""
    if is_inbox(source):
        rel = source[len(PREFIX) :]
        store.files.remove_tree(rel.rsplit("/", 1)[0])
