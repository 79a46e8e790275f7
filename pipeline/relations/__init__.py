"""Relation extraction: LAUNCHED (ORG -> INITIATIVE) and ACHIEVED (ORG/INITIATIVE -> OUTCOME).

candidates: each tail's candidate heads in its sentence, coordinations, the nearest-head rule;
features: the feature strings of a candidate head and of "no head";
model: the thinc architecture (dangjian.RelationChoice.v1), a linear scorer of hashed features;
extractor: the trainable component (dangjian_relation_extractor), its decoding and its scorer.
"""
