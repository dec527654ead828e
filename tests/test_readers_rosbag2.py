"""rosbag2 folders (split, with and without metadata.yaml) and the real sample bags."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from mcap.reader import make_reader
from recordings import synthetic_content, write_rosbag2
from test_readers_mcap import assert_same, read_tables

from robotwork.errors import IngestError
from robotwork.ingest.readers import open_recording

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "rosbag2"
SAMPLE_PATHS = sorted(p for p in SAMPLES.iterdir() if p.is_dir() or p.suffix == ".mcap")


def test_split_bag_with_custom_data(tmp_path: Path) -> None:
    content = synthetic_content(states=300, joints=4)
    folder = write_rosbag2(
        tmp_path / "bag",
        content,
        files=3,
        custom_data={"robot_serial": "R-7", "scenario_id": "SC-1", "operator": "not identity"},
    )
    assert len(list(folder.glob("*.mcap"))) == 3
    tables, recording = read_tables(folder, batch_rows=50)
    assert recording.identity == {"robot_serial": "R-7", "scenario_id": "SC-1"}
    assert_same(tables, content)
    assert recording.info.messages == len(content.messages())
    assert recording.info.joint_names == content.joint_names


def test_files_read_in_metadata_order(tmp_path: Path) -> None:
    """metadata.yaml decides the order, not the file names."""
    content = synthetic_content(states=60, joints=2)
    folder = write_rosbag2(tmp_path / "bag", content, files=3)
    names = ["bag_0.mcap", "bag_1.mcap", "bag_2.mcap"]
    for index, name in enumerate(names):  # rename so that name order differs from time order
        (folder / name).rename(folder / f"z{2 - index}.mcap")
    metadata = yaml.safe_load((folder / "metadata.yaml").read_text())
    metadata["rosbag2_bagfile_information"]["relative_file_paths"] = ["z2.mcap", "z1.mcap", "z0.mcap"]
    (folder / "metadata.yaml").write_text(yaml.safe_dump(metadata))
    tables, _ = read_tables(folder)
    assert_same(tables, content)


def test_folder_without_metadata_yaml(tmp_path: Path) -> None:
    content = synthetic_content(states=80, joints=3)
    folder = write_rosbag2(tmp_path / "bag", content, files=3, metadata_yaml=False)
    tables, recording = read_tables(folder)
    assert_same(tables, content)
    assert recording.identity == {}


def test_missing_listed_file_and_other_storage(tmp_path: Path) -> None:
    folder = write_rosbag2(tmp_path / "bag", synthetic_content(states=20), files=2)
    (folder / "bag_1.mcap").unlink()
    with pytest.raises(IngestError, match=r"metadata\.yaml: lists bag_1\.mcap, which is missing"):
        open_recording(folder)
    metadata = yaml.safe_load((folder / "metadata.yaml").read_text())
    metadata["rosbag2_bagfile_information"]["storage_identifier"] = "sqlite3"
    (folder / "metadata.yaml").write_text(yaml.safe_dump(metadata))
    with pytest.raises(IngestError, match="ros2 bag convert"):
        open_recording(folder)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a recording"):
        open_recording(tmp_path)


@pytest.mark.parametrize("path", SAMPLE_PATHS, ids=lambda p: p.name)
def test_sample_bags_read_to_the_end(path: Path) -> None:
    """Bags robotwork did not make: read without error, and say what they hold."""
    recording = open_recording(path)
    batches = list(recording.batches())
    assert batches == []  # none carries joint data or robotwork topics
    files = sorted(path.glob("*.mcap")) if path.is_dir() else [path]
    expected: Counter[str] = Counter()
    topics = set()
    for file in files:
        with open(file, "rb") as stream:
            reader = make_reader(stream)
            summary = reader.get_summary()
            assert summary is not None
            topics |= {c.topic for c in summary.channels.values()}
            expected.update(channel.topic for _, channel, _ in reader.iter_messages())
    found = recording.info.topics
    assert set(found) == topics
    assert {topic: count for topic, (_, count) in found.items() if count} == dict(expected)
    assert recording.info.messages == sum(expected.values())
    assert recording.info.joint_names == []


def test_identity_precedence(tmp_path: Path) -> None:
    """rosbag2's own metadata record < metadata.yaml custom_data < the `robotwork` record."""
    from mcap_ros2.writer import Writer

    folder = tmp_path / "bag"
    folder.mkdir()
    with open(folder / "bag_0.mcap", "wb") as stream:
        writer = Writer(stream)
        serialized = yaml.safe_dump(
            {
                "version": 8,
                "custom_data": {"robot_serial": "EMBEDDED", "site_id": "SITE-E", "software_version": "1.0"},
            }
        )
        writer.add_metadata("rosbag2", {"serialized_metadata": serialized})
        writer.add_metadata("robotwork", {"software_version": "2.0"})
        writer.finish()
    assert open_recording(folder / "bag_0.mcap").identity == {
        "robot_serial": "EMBEDDED",
        "site_id": "SITE-E",
        "software_version": "2.0",
    }
    (folder / "metadata.yaml").write_text(
        yaml.safe_dump(
            {
                "rosbag2_bagfile_information": {
                    "storage_identifier": "mcap",
                    "relative_file_paths": ["bag_0.mcap"],
                    "custom_data": {"robot_serial": "YAML", "software_version": "1.5"},
                }
            }
        )
    )
    assert open_recording(folder).identity == {
        "robot_serial": "YAML",
        "site_id": "SITE-E",
        "software_version": "2.0",
    }
