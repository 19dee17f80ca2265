"""The maths of common ground (placeholder; the API is documented once complete)."""
