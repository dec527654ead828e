"""Who recorded a recording: the robotwork identity keys found in its files.

Three places can carry them, from weakest to strongest: the `custom_data` rosbag2 embeds in
its own MCAP metadata record (`rosbag2` / `serialized_metadata`), the `custom_data` of a bag's
`metadata.yaml` (what `ros2 bag record --custom-data` writes), and the MCAP metadata record
named `robotwork`. The command line overrides them all, outside the readers.
"""

from pathlib import Path

import yaml

from robotwork.errors import IngestError

IDENTITY_KEYS = ("robot_serial", "scenario_id", "site_id", "software_version")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, where: Path) -> object:
    """Parse YAML, refusing it with the file named."""
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader (C when built)
    except yaml.YAMLError as exc:
        raise IngestError(f"{where}: not valid YAML ({str(exc).splitlines()[0]})") from None


def custom_data(value: object, where: Path) -> dict[str, str]:
    """A rosbag2 `custom_data` map as strings (YAML may type the values; `~` means none)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise IngestError(f"{where}: custom_data is not a map")
    return {str(key): str(item) for key, item in value.items() if item is not None}


def identity(
    records: list[tuple[Path, str, dict[str, str]]], bag_custom_data: dict[str, str]
) -> dict[str, str]:
    """Merge the identity keys of (file, metadata name, map) records and a bag's custom_data."""
    embedded: dict[str, str] = {}
    own: dict[str, str] = {}
    for path, name, entries in records:
        if name == "rosbag2":
            document = load_yaml(entries.get("serialized_metadata", ""), path)
            if isinstance(document, dict):
                bag = document.get("rosbag2_bagfile_information", document)
                embedded.update(custom_data(bag.get("custom_data"), path))
        elif name == "robotwork":
            own.update(entries)
    merged = {**embedded, **bag_custom_data, **own}
    return {key: merged[key] for key in IDENTITY_KEYS if merged.get(key)}
