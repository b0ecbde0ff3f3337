"""Rendering: JSON and text (``serialize``), HTML and XLIFF (``export``), and writing files."""
