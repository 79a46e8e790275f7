"""A spaCy pipeline for Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations."""
from __future__ import annotations

from .extensions import register_extensions
from .tokenizer import patch_pkuseg_user_dict

__version__ = "0.1.0"

from .api import TaggedRelation, TaggedSpan, TagResult, load, tag, tag_many  # noqa: E402

__all__ = ["load", "tag", "tag_many", "TagResult", "TaggedSpan", "TaggedRelation", "__version__"]

register_extensions()
patch_pkuseg_user_dict()
