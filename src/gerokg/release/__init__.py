"""The release: assembled from the sources or read from files, its store and its inferences (layer 3)."""
