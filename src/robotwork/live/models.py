"""The registry's live tables: each robot's current status, raised alerts, broker passwords.

Declared on the registry's `Base` (migration 0008 creates them) but kept beside the live code,
which is their only writer.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from robotwork.registry.models import Base


class LiveRobotRow(Base):
    """A robot's current live status (one row per robot heard from); times in ns UTC."""

    __tablename__ = "live_robots"
    robot_serial: Mapped[str] = mapped_column(String(64), primary_key=True)
    connection: Mapped[str | None] = mapped_column(String(24))
    control_mode: Mapped[str | None] = mapped_column(String(16))
    task: Mapped[str | None] = mapped_column(Text)
    site_id: Mapped[str | None] = mapped_column(String(500))
    battery: Mapped[float | None] = mapped_column(Float)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    last_seen_ns: Mapped[int] = mapped_column(BigInteger)
    fresh_ns: Mapped[int] = mapped_column(BigInteger)
    sent_ns: Mapped[int] = mapped_column(BigInteger)
    stale: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_since_ns: Mapped[int] = mapped_column(BigInteger)


class LiveAlert(Base):
    """A robot in routine operation offline or in fault for too long in its working hours."""

    __tablename__ = "live_alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    robot_serial: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # offline | fault
    since_ns: Mapped[int] = mapped_column(BigInteger)
    raised_ns: Mapped[int] = mapped_column(BigInteger)
    cleared_ns: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class BrokerCredential(Base):
    """A device token's password as the MQTT broker checks it (Mosquitto's PBKDF2 format).

    Made when the token is created (the only moment its clear text exists); the broker's password
    file is written from these rows, for tokens neither revoked nor expired.
    """

    __tablename__ = "broker_credentials"
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True)
    robot_serial: Mapped[str] = mapped_column(String(64), index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
