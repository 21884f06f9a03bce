"""What every layer shares and that belongs to no domain: the error type services raise.
The bottom of the import layers (see `[tool.importlinter]` in pyproject.toml): it imports
nothing of the project."""
