"""Profile pages: viewing, editing, photos and privacy settings."""
