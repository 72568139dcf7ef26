"""Quality gates: Great Expectations suites over the lesson's facts, failing loudly with evidence."""
