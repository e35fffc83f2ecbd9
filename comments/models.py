"""Comments: models arrive with the comments work."""
