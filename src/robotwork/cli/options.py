"""Options that several commands share, declared once so their names and help stay the same."""

from typing import Annotated

import typer

RayAddress = Annotated[
    str | None,
    typer.Option(help="With --ray: the cluster to join (default: RAY_ADDRESS, else a local Ray)."),
]
