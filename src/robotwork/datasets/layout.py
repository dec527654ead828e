"""Where a LeRobot v3.0 dataset keeps what: every on-disk path and the format version.

Data, video and episodes files are numbered chunk by chunk (`CHUNKS_SIZE` files a chunk), so a
dataset of any size keeps folders small.
"""

CODEBASE_VERSION = "v3.0"
INFO_PATH = "meta/info.json"
STATS_PATH = "meta/stats.json"
TASKS_PATH = "meta/tasks.parquet"
MANIFEST_PATH = "meta/robotwork_manifest.json"
CHUNK_FILE_PATTERN = "chunk-{chunk_index:03d}/file-{file_index:03d}"
DATA_PATH = "data/" + CHUNK_FILE_PATTERN + ".parquet"
VIDEO_PATH = "videos/{video_key}/" + CHUNK_FILE_PATTERN + ".mp4"
EPISODES_PATH = "meta/episodes/" + CHUNK_FILE_PATTERN + ".parquet"
CHUNKS_SIZE = 1000
VIDEO_FILE_BYTES = 200 * 2**20  # LeRobot's default size of a video file


def next_file(chunk: int, index: int) -> tuple[int, int]:
    """The (chunk, file) numbers after these."""
    return (chunk + 1, 0) if index == CHUNKS_SIZE - 1 else (chunk, index + 1)
