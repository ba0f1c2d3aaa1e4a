"""Reports: the run / history results as terminal text, JSON, Markdown and HTML.

Every format is rendered from the same JSON-ready dict (``jsonout``), so they all carry
the same content.
"""
