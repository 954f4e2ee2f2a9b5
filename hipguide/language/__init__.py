"""HipGuide language."""
