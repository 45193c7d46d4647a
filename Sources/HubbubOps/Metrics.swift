// Placeholder: metrics, logs, configuration (issue 7).
