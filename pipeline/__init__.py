"""A spaCy pipeline for Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations.

The public API: `load`, `tag`, `tag_many` and the result types; `read_facts` turns tagged output
into a table of facts (pandas DataFrame). Components, readers and
architectures are registered with spaCy by entry points (setup.cfg), so a saved pipeline loads
with plain `spacy.load`.
"""

from .api import load, tag, tag_many
from .facts import read_facts
from .results import TaggedRelation, TaggedSpan, TagResult

__version__ = "0.1.0"

__all__ = ["load", "tag", "tag_many", "read_facts", "TagResult", "TaggedSpan", "TaggedRelation", "__version__"]
