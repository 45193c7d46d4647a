// Placeholder: the mailer (issue 6).
