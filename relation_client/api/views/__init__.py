"""API views, one module per sub-domain: thin, they parse, call one service or selector
and render."""
