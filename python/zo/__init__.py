"""zo-opt's Python package: reference implementations shared by tests and users."""
