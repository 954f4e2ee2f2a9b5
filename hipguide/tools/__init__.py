"""HipGuide tools."""
