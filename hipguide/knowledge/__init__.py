"""HipGuide knowledge."""
