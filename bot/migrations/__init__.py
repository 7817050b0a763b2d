"""Alembic migrations (shipped with the package so every install can upgrade itself)."""
