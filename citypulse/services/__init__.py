"""Domain services: `<entity>_<action>(session, *, actor, ...)` functions (no Reflex imports)."""
