"""The telemetry store on an S3-compatible object store (``s3://BUCKET/PREFIX``), through s3fs.

Endpoint and keys come from the standard AWS variables (`AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`), so one store URL works against AWS, SeaweedFS or MinIO alike.

Two things differ from s3fs's defaults, both so that many processes can share one store safely:
listings are never cached (a process must see files another process published a moment ago),
and every failure of the service (a stopped server, a denied bucket, missing keys) surfaces as
an `OSError` that names the store, so the store's callers turn it into one line, not a trace.
"""

import errno
import os
from typing import Any

from fsspec.asyn import sync_wrapper

from robotwork.errors import StoreError

# Fail within seconds when the server is gone, rather than after s3fs's and botocore's
# retries have backed off for minutes; uploads of a large part still get a minute per read.
_CONFIG = {"connect_timeout": 5, "read_timeout": 60, "retries": {"max_attempts": 3, "mode": "standard"}}
_ERROR_RETRIES = 3

try:
    from botocore.exceptions import BotoCoreError
    from s3fs import S3FileSystem
except ImportError:  # the optional extra is missing: `open_s3` says how to get it
    S3FileSystem = None


if S3FileSystem is not None:

    class ObjectStore(S3FileSystem):  # type: ignore[misc, valid-type]
        """s3fs with uncached listings and failures as `OSError`s naming endpoint and bucket."""

        retries = _ERROR_RETRIES

        async def _call_s3(self, method: str, *args: Any, **kwargs: Any) -> Any:
            try:
                return await super()._call_s3(method, *args, **kwargs)
            except FileNotFoundError:
                raise  # s3fs itself relies on it (exists, info): keep it as it is
            except PermissionError as exc:
                raise PermissionError(errno.EACCES, self._where(kwargs, f"access denied ({exc})")) from exc
            except BotoCoreError as exc:
                raise ConnectionError(errno.EIO, self._where(kwargs, str(exc))) from exc

        # s3fs's own synchronous entry is bound to its coroutine; bind it to ours.
        call_s3 = sync_wrapper(_call_s3)

        def _where(self, kwargs: dict[str, Any], what: str) -> str:
            endpoint = (self.client_kwargs or {}).get("endpoint_url") or os.environ.get(
                "AWS_ENDPOINT_URL", "AWS"
            )
            bucket = kwargs.get("Bucket")
            return f"object store {endpoint}" + (f", bucket {bucket}" if bucket else "") + f": {what}"


def open_s3(root: str) -> tuple[Any, str]:
    """The filesystem and the bucket path (``bucket/prefix``, no protocol) of an S3 store root."""
    if S3FileSystem is None:
        raise StoreError(f"telemetry store {root}: S3 needs s3fs: pip install 'robotwork[s3]'")
    path = root.split("://", 1)[1].rstrip("/")
    if not path or path.startswith("/"):
        raise StoreError(f"telemetry store {root}: name a bucket, as in s3://BUCKET/PREFIX")
    client: dict[str, Any] = {}
    if os.environ.get("AWS_ENDPOINT_URL"):
        client["endpoint_url"] = os.environ["AWS_ENDPOINT_URL"]
    # a fresh instance: fsspec's instance cache would keep the keys of an earlier environment
    fs = ObjectStore(
        skip_instance_cache=True,
        use_listings_cache=False,
        client_kwargs=client,
        config_kwargs=_CONFIG,
    )
    return fs, path
