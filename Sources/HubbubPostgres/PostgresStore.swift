// Placeholder: the PostgreSQL store is being written (issue 4).
