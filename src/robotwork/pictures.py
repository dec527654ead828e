"""What ingest and export both need to know about a picture decoded by FFmpeg (PyAV frames)."""

from typing import Any


def is_full_range(picture: Any) -> bool:
    """Whether its YUV values span 0-255 ("JPEG" range: JPEG pictures, yuvj formats) rather than
    16-235 ("MPEG": video). Converting between the two needs saying so to FFmpeg's scaler, or the
    colours come back too dark or too pale."""
    return bool(picture.format.name.startswith("yuvj") or picture.color_range == 2)
