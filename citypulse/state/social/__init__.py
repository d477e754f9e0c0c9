"""Buddies, blocks, the buddy finder and active buddies (PRODUCT.md §4.5, §6.4)."""
