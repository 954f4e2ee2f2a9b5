"""HipGuide reasoning."""
