"""robotwork: the system of record and evidence engine of the humanoid robots in real work program."""

__version__ = "0.1.0"
