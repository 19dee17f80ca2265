"""Compassion: compassionate leadership for a political office."""
