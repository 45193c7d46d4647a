// Placeholder: the broker (issue 5).
