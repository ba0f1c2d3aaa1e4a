"""Risk layer: thresholds table + factor functions -> findings with levels, reasons and advice.

Entry points: ``assess(metrics, config)``, ``load_config(path)``, ``threshold_rows(config)``.
"""
