"""Human-readable views: the ontology's documentation, diagrams and the web pages (layer 8)."""
