"""Readers: bytes -> Activity, whatever the format (FIT, GPX, TCX, gzip)."""
