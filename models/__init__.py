"""The mirror: load the patched C helpers and run them with kernel semantics."""
