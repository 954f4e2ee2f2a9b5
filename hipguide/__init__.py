"""HipGuide's domain layer: knowledge, language and reasoning, with no Rasa imports.

Sub-packages:
    knowledge  curated YAML files -> validated objects -> SQL database, and a repository
    language   finding extraction helpers and the project's spaCy pipeline
    reasoning  ranking of likely conditions, red-flag screening and triage

The command-line tools used by the Makefile live above this layer, in :mod:`hipguide_tools`.
"""
