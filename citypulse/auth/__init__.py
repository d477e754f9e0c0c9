"""Authentication primitives: passwords, sessions, tokens (no Reflex imports)."""
