"""Validation of the pipeline's measures against human annotations shipped in ``data/validation/``.

``validation.sentiment`` compares VADER and the actor-level method with human ratings of news
sentences; each module's ``evaluate()`` returns JSON-serialisable figures and ``summary_frame()``
a table for display.
"""
