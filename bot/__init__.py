"""The composition root: settings, database, CLI, scheduler, importer, demo and the platform adapters."""
