"""Answers built on queries: causal chains (explain) and justified classifications (why) (layer 5)."""
