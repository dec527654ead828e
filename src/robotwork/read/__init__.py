"""The read layer: what a person looks at, as typed read models, each figure from one query.

Below `web`, `reports` and `cli`, above `evidence`, `registry`, `store` and `policy`. One module
per thing a person looks at (the national overview, an organization, a scenario, a consortium,
a robot, a recording, a flag, a dataset, the lists); each exposes plain functions returning
pydantic models, so a page renders them, its JSON twin and the `/api/v1` routes serve them
(as FastAPI response models), the progress report lays them out and the CLI prints them,
and none of those computes a figure of its own.
"""
