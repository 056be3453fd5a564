"""Permission-matrix rows for the cases app's URLs (see tests/permission_matrix.py)."""

from __future__ import annotations

from tests.permission_matrix import Row

ROWS: list[Row] = []
