"""The digital-readiness self-assessment (issue 7).

A country team assesses how ready it is to use digital tools for its commitments under the Minamata
Convention. Modules:

- ``questionnaires/``: the versioned questionnaire and recommendation rules (YAML, package data);
  ``questionnaire.py`` / ``rules.py`` load and validate them with line-level errors (``yamlfile.py``),
  ``expr.py`` is the small safe expression language of skip logic and rules (its tokenizer and parser:
  ``expr_syntax.py``), ``catalog.py`` stores the published versions (immutable but for translations:
  ``immutability.py``) in the database.
- ``scoring.py``: the pure scoring (no Flask); ``results.py``: stored results, recommendations through the
  core registry, learning path, advisory requests; ``trend.py``: the item-level comparison with the
  previous cycle across questionnaire versions; ``benchmark.py``: the anonymised comparison.
- ``report_build.py`` / ``report_pdf.py``: the result as a PDF (on ``lms.pdf``) in the reader's language.
- ``reminders.py`` (run daily by ``tasks.py``): reminders about stalled drafts and reviews.
- ``services.py``: the team workflow; ``permissions.py``: who may do what; ``statements.py``: xAPI.
- ``views*.py``, ``forms.py``, ``presenters.py``, ``templates/readiness/``, ``static/``: the pages.
- ``cli.py``: ``minamata-lms readiness validate FILE | sync | rescore``; ``demo.py``: demo content.
"""
