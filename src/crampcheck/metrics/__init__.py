"""Pure functions from an Activity to RunMetrics (docs/architecture.md)."""
