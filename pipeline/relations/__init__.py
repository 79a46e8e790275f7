"""Relation extraction: LAUNCHED (ORG -> INITIATIVE) and ACHIEVED (ORG/INITIATIVE -> OUTCOME).

candidates: the entity pairs a relation may hold between, and their pair features;
cues: lexical and structural cue strings of a pair, hashed;
model: the thinc architectures (dangjian.RelationModel.v1/v2);
extractor: the trainable component (dangjian_relation_extractor) and its scorer.
"""
