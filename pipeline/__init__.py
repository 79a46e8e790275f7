"""A spaCy pipeline for Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations."""
from __future__ import annotations

from .extensions import register_extensions

__version__ = "0.1.0"

register_extensions()
