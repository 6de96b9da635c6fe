"""Conformance: SHACL validation, the QC queries and the modelling checks (layer 6)."""
