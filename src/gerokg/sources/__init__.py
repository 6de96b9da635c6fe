"""The package's curated sources read into RDF: the review, the claims, the import modules (layer 2)."""
