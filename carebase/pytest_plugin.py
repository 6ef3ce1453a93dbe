"""Loaded by pytest with -p (see pyproject.toml) before pytest-django reads the
settings: the test suite runs background tasks inline, in the test's thread."""

import os

os.environ.setdefault("TASK_BACKEND", "immediate")
