"""Forms, one module per area of the app (see the README, Architecture: one shape for a grown app)."""
