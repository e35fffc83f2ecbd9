"""Ads: models arrive with the ads work."""
