"""The store root on its filesystem: one place that knows local folders from object stores.

Everything above this module speaks in paths relative to the root (``joint_states/date=...``),
so the same layout works on a local folder, ``memory://`` in tests and an S3 bucket at scale.
"""

import contextlib
import fnmatch
import glob
import os

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from fsspec import AbstractFileSystem
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from robotwork.errors import StoreError

S3_PROTOCOLS = ("s3://", "s3a://")


def is_s3(root: str) -> bool:
    """Whether a store root names an S3 bucket."""
    return root.startswith(S3_PROTOCOLS)


class StoreFiles:
    """A store root (fsspec URL or local path) and the few file operations the store needs."""

    def __init__(self, root: str) -> None:
        try:
            if is_s3(root):
                # s3fs and botocore take about a second to import: only for an S3 root
                from robotwork.store.s3 import open_s3

                fs, path = open_s3(root)
            else:
                fs, path = url_to_fs(root)
        except (ValueError, ImportError) as exc:
            raise StoreError(f"telemetry store root {root!r}: {exc}") from exc
        self.url = root
        self.fs: AbstractFileSystem = fs
        self.root: str = path.rstrip("/")
        self.local: bool = isinstance(fs, LocalFileSystem)
        # Object stores have no folders: nothing to create, and a missing "folder" lists empty.
        self.folders: bool = not is_s3(root)
        # pyarrow writes and scans through its own filesystem layer; the native local one is
        # much faster than going through Python for every buffer.
        self.arrow_fs: pafs.FileSystem = (
            pafs.LocalFileSystem() if self.local else pafs.PyFileSystem(pafs.FSSpecHandler(fs))
        )

    def path(self, rel: str) -> str:
        """Filesystem path (no protocol) of a path relative to the root."""
        return f"{self.root}/{rel}"

    def glob_url(self, rel_pattern: str) -> str:
        """A glob for engines that take URLs (DuckDB): the root escaped, the pattern kept."""
        root = self.root if self.local else self.fs.unstrip_protocol(self.root)
        return f"{glob.escape(root)}/{rel_pattern}"

    def find(self, rel_dir: str, rel_pattern: str = "*") -> list[str]:
        """Files under `rel_dir` whose root-relative path matches `rel_pattern`, sorted.

        Listing then matching, rather than globbing the full path, keeps glob characters in the
        root (pytest folders have ``[``) from being read as patterns.
        """
        base = self.path(rel_dir)
        if self.folders and not self.fs.exists(base):
            return []
        prefix = len(self.root) + 1
        found = (path[prefix:] for path in self.fs.find(base))
        return sorted(rel for rel in found if fnmatch.fnmatchcase(rel, rel_pattern))

    def subdirs(self, rel_dir: str) -> list[str]:
        """Names of the folders directly under `rel_dir` (none when it does not exist)."""
        base = self.path(rel_dir)
        if not self.folders:
            # A prefix exists while an object has it; a delimiter listing on some servers
            # (SeaweedFS) still shows prefixes whose objects were all deleted.
            below = (path[len(base) + 1 :] for path in self.fs.find(base))
            return sorted({rel.split("/", 1)[0] for rel in below if "/" in rel})
        if not self.fs.exists(base):
            return []
        entries = self.fs.ls(base, detail=True)
        return sorted(e["name"].rstrip("/").rsplit("/", 1)[-1] for e in entries if e["type"] == "directory")

    def makedirs(self, rel_dir: str) -> None:
        """Create a folder and its parents (a no-op on object stores without folders)."""
        if self.folders:
            self.fs.makedirs(self.path(rel_dir), exist_ok=True)

    def size(self, rel: str) -> int:
        """Size in bytes of one file."""
        return int(self.fs.size(self.path(rel)))

    def write_parquet(self, rel: str, table: pa.Table) -> None:
        """Write one whole Parquet file; readers see it once `publish` moves it into place."""
        pq.write_table(table, self.path(rel), filesystem=self.arrow_fs)

    def publish(self, src_rel: str, dst_rel: str) -> None:
        """Move a whole file into place, replacing any file of that name.

        On a local filesystem this is one `os.replace`, atomic on POSIX: a reader sees the old
        file or the new one, never part of one. Object stores have no rename: the staged object
        (complete, since an upload only becomes an object when it is whole) is copied by the
        server to its published name, where it appears whole or not at all, then the staged
        one is deleted. A crash between the two leaves a staged copy that staging clean-up
        removes; the registry references only published names (docs/scale.md).
        """
        dst_dir = dst_rel.rsplit("/", 1)[0]
        self.makedirs(dst_dir)
        if self.local:
            os.replace(self.path(src_rel), self.path(dst_rel))
        else:
            self.fs.copy(self.path(src_rel), self.path(dst_rel))
            self.fs.rm(self.path(src_rel))

    def remove(self, rels: list[str]) -> None:
        """Delete files."""
        if rels:
            self.fs.rm([self.path(rel) for rel in rels])

    def remove_empty_dir(self, rel_dir: str) -> None:
        """Delete a folder only if it is empty (another writer may be filling it); object
        stores have no folders, so there is nothing to do there."""
        if self.local:
            with contextlib.suppress(OSError):
                os.rmdir(self.path(rel_dir))

    def remove_tree(self, rel_dir: str) -> None:
        """Delete a folder and everything in it, if it exists."""
        path = self.path(rel_dir)
        if self.fs.exists(path):
            self.fs.rm(path, recursive=True)
