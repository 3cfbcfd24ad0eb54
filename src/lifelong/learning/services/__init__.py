"""Every write of the learning app, one module per area: one transaction, one audit event."""
