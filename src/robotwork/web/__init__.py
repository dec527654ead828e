"""The web face of robotwork: REST API under /api/v1 and server-rendered dashboard pages."""
