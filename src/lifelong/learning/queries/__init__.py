"""Every read of the learning app, one module per area, scoped to the acting user."""
