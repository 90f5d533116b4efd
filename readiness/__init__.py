"""The digital-readiness self-assessment (issue 7).

A country team assesses how ready it is to use digital tools for its commitments under the Minamata
Convention. Modules:

- ``questionnaires/``: the versioned questionnaire and recommendation rules (YAML, package data);
  ``questionnaire.py`` / ``rules.py`` load and validate them with line-level errors (``yamlfile.py``),
  ``expr.py`` is the small safe expression language of skip logic and rules, ``catalog.py`` stores the
  published versions (immutable) in the database.
- ``scoring.py``: the pure scoring (no Flask); ``results.py``: stored results, recommendations through the
  core registry, trend, learning path, advisory requests; ``benchmark.py``: the anonymised comparison.
- ``services.py``: the team workflow; ``permissions.py``: who may do what; ``statements.py``: xAPI.
- ``views*.py``, ``forms.py``, ``presenters.py``, ``templates/readiness/``, ``static/``: the pages.
- ``cli.py``: ``minamata-lms readiness validate FILE | sync | rescore``; ``demo.py``: demo content.
"""
