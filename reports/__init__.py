"""Renderers: terminal (rich), JSON and a self-contained HTML page."""
