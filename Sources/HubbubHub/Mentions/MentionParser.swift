// Placeholder: a helper writes the mention parser here.
