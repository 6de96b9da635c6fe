"""Protocol servers over a loaded release: the SPARQL/HTTP endpoint and the MCP server (layer 9)."""
