"""Moderation: reports and the moderator dashboard numbers."""
