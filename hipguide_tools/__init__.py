"""HipGuide's developer and trainer tools: the command-line entry points the Makefile runs.

The top layer: tools may import :mod:`hipguide_rasa`, :mod:`actions` and :mod:`hipguide`;
nothing in those packages imports the tools (``tests/test_import_graph.py`` checks it).
"""
