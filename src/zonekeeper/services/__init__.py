"""Use cases: load the state, run the pure core, persist the result in one transaction."""
