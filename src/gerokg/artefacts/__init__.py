"""Release artefacts: the build, exports, ODK products, N-Quads, mappings, descriptions, diffs (layer 7)."""
