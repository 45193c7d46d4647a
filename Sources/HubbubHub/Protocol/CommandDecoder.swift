// Placeholder: a helper writes the decoder here.
