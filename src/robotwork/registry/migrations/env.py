"""Alembic environment: robotwork hands in an open connection; no alembic.ini is needed."""

from alembic import context

from robotwork.registry.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
