"""crampcheck: read running activity files and report the cramp risk factors they show."""

__version__ = "0.1.0"
