"""Image storage and processing (Pillow). No Reflex imports."""
