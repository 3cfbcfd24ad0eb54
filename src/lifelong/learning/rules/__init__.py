"""The learning rules as pure functions over plain data, one module per subject."""
