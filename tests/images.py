"""Real camera frames for tests: solid-colour JPEG and PNG pictures encoded, and decoded, by PyAV.

Frames made by the codecs a camera driver uses (FFmpeg's mjpeg and png) rather than byte
strings that only look like images, so a test can check a frame survives ingest and export
as a picture: `decode_rgb` gives back its pixels.
"""

import av
import numpy as np

_CODECS = {"jpeg": "mjpeg", "png": "png"}


def _encode(codec: str, pix_fmt: str, width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """One frame of a solid colour through an FFmpeg encoder: its single packet's bytes."""
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[...] = rgb
    frame = av.VideoFrame.from_ndarray(pixels, format="rgb24").reformat(format=pix_fmt)
    context = av.CodecContext.create(codec, "w")
    context.width, context.height, context.pix_fmt = width, height, pix_fmt
    packets = context.encode(frame) + context.encode(None)
    return b"".join(bytes(packet) for packet in packets)


def jpeg(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A JPEG picture of one colour (full-range 4:2:0, as webcams send it)."""
    return _encode("mjpeg", "yuvj420p", width, height, rgb)


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG picture of one colour (8-bit RGB)."""
    return _encode("png", "rgb24", width, height, rgb)


def decode_rgb(data: bytes, fmt: str) -> np.ndarray:
    """The pixels of a JPEG or PNG picture (`fmt` "jpeg" or "png"), (H, W, 3) uint8."""
    context = av.CodecContext.create(_CODECS[fmt], "r")
    frames = context.decode(av.Packet(data)) + context.decode(None)
    return frames[0].to_ndarray(format="rgb24")
