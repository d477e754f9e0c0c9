"""Recommendation pages: detail with live counters, create/edit forms, city pages."""
