"""Developer tools: local server, demo, evaluation and benchmark scripts (not installed)."""
