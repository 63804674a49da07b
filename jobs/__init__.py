"""Background work: arq worker settings, tasks, cron, readiness rules, rendering.

Imports `tenants` only; the server hands in configuration.
"""
