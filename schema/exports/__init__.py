"""Export jobs: requestExport, the Export node and the exports list."""
