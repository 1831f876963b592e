"""Options, command line and graph assembly of the newsbeam pipeline."""
