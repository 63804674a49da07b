"""Metrics (Prometheus text on an operator-only port) and traces (OpenTelemetry, opt-in)."""
