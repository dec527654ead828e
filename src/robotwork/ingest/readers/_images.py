"""Camera frames: CompressedImage payloads (CDR or JSON) to rows of `images`, batched by bytes.

Frames are large (tens or hundreds of kB) and few (tens per second per camera), so each is
parsed on its own; what matters is the image bytes. They are copied out of the chunk buffer at
once (a view would keep the whole decompressed chunk alive) and joined once more into the
batch, and a batch is cut at `IMAGE_BATCH_BYTES` of image data, so a recording's frames are
never held together whatever its length. The header stamp is ignored: a frame's time is its
MCAP log_time, as for every other message.
"""

import base64
import binascii
import json
from collections.abc import Iterator
from functools import lru_cache

import numpy as np
import pyarrow as pa

from robotwork.ingest.readers._block import BadMessage, MessageBlock
from robotwork.ingest.readers._cdr import compressed_image
from robotwork.store.schema import IMAGE_SCHEMA, IMAGES, TableBatch

IMAGE_BATCH_BYTES = 32 * 2**20


@lru_cache(maxsize=64)
def image_format(text: str) -> str:
    """The codec a CompressedImage `format` names, "jpeg" or "png" (else ValueError).

    Foxglove writes the codec ("jpeg"); ROS image_transport writes pixel formats around it
    ("rgb8; jpeg compressed bgr8"). compressedDepth frames start with a header of their own
    before the PNG, so they are not PNG files and are refused with the other formats.
    """
    name = text.strip().lower()
    if "compresseddepth" not in name:
        if "jpeg" in name or "jpg" in name:
            return "jpeg"
        if "png" in name:
            return "png"
    raise ValueError(f"format {text!r}: robotwork keeps jpeg and png camera frames")


def _cdr_frame(payload: memoryview) -> tuple[str, bytes]:
    """(format text, image bytes) of a CDR sensor_msgs/msg/CompressedImage."""
    try:
        text, start, end = compressed_image(payload)
    except ValueError as exc:
        raise ValueError(f"not a CDR CompressedImage ({exc})") from None
    return text, bytes(payload[start:end])


def _json_frame(payload: memoryview) -> tuple[str, bytes]:
    """(format text, image bytes) of a JSON foxglove.CompressedImage (`data` in base64) or of
    a ROS CompressedImage as JSON (`data` an array of byte values)."""
    try:
        message = json.loads(bytes(payload))
    except ValueError as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(message, dict):
        raise ValueError(f"not a JSON object ({type(message).__name__})")
    text, data = message.get("format"), message.get("data")
    if not isinstance(text, str):
        raise ValueError(f"format is {'missing' if text is None else 'not a string'}")
    if isinstance(data, str):
        try:
            return text, base64.b64decode(data, validate=True)
        except binascii.Error as exc:
            raise ValueError(f"data is not base64 ({exc})") from None
    if isinstance(data, list):
        try:
            return text, bytes(data)
        except (TypeError, ValueError):
            raise ValueError("data is not an array of byte values (0-255)") from None
    raise ValueError("data is missing" if data is None else "data is not a base64 string")


class ImageTable:
    """Accumulates camera frames and cuts batches at `max_bytes` of image data or
    `batch_rows` rows, whichever comes first."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = IMAGE_BATCH_BYTES if max_bytes is None else max_bytes
        self._times: list[np.ndarray] = []
        self._cameras: list[str] = []
        self._formats: list[str] = []
        self._data: list[bytes] = []
        self._bytes = 0

    def add(self, camera: str, block: MessageBlock, encoding: str) -> None:
        """Decode a block of one camera's frames ("cdr" or "json"); BadMessage names the
        first frame that is not a jpeg or png CompressedImage with data."""
        frame = _cdr_frame if encoding == "cdr" else _json_frame
        view = memoryview(block.buffer)
        for row, (start, end) in enumerate(zip(block.starts.tolist(), block.ends.tolist(), strict=True)):
            try:
                text, data = frame(view[start:end])
                if not data:
                    raise ValueError("empty data")
                self._formats.append(image_format(text))
            except ValueError as exc:
                raise BadMessage(row, str(exc)) from None
            self._data.append(data)
            self._bytes += len(data)
        self._times.append(block.log_times)
        self._cameras += [camera] * len(block)

    def batches(self, batch_rows: int, *, final: bool = False) -> Iterator[TableBatch]:
        """Yield everything held once a threshold is reached (with `final`, whatever is held),
        in batches of at most `batch_rows` rows and about `max_bytes` of data each."""
        rows = len(self._data)
        if not rows or not (final or rows >= batch_rows or self._bytes >= self.max_bytes):
            return
        times = np.concatenate(self._times)
        start = 0
        while start < rows:
            end, size = start, 0
            while end < rows and end - start < batch_rows and size < self.max_bytes:
                size += len(self._data[end])
                end += 1
            columns = [
                pa.array(times[start:end], pa.int64()),
                pa.array(self._cameras[start:end], pa.string()),
                pa.array(self._formats[start:end], pa.string()),
                _binary(self._data[start:end]),
            ]
            yield TableBatch(IMAGES, pa.RecordBatch.from_arrays(columns, schema=IMAGE_SCHEMA))
            start = end
        self._times, self._cameras, self._formats, self._data, self._bytes = [], [], [], [], 0


def _binary(pieces: list[bytes]) -> pa.Array:
    """A binary array of `pieces`, built from one joined buffer and its offsets."""
    offsets = np.zeros(len(pieces) + 1, np.int64)
    np.cumsum([len(p) for p in pieces], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.binary(),
        len(pieces),
        [None, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(b"".join(pieces))],
    )
