"""SPARQL: the canned queries, term resolution, typed results, sandboxed workers, remote endpoints (layer 4)."""
