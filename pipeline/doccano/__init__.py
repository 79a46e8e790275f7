"""Doccano round trip: run a server, push model suggestions, pull corrections back into the corpus."""
