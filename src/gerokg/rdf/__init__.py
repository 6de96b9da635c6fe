"""RDF input and output, and the content-hash cache (layer 1, above the vocabulary and errors)."""
