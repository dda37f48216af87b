"""marsad: who did what to whom, who said what, where and when, in Arabic news."""

from __future__ import annotations

__version__ = "0.1.0"
