"""Fixtures for the dashboard tests: the importer's runtime (the read scope is in dashboard_kit)."""

from importer.conftest import runtime

__all__ = ["runtime"]
