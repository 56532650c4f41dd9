"""One module per pipeline stage; `speechclean.pipeline.STAGES` orders them.

Every stage module has a `NAME` and a `run(doc, config) -> (doc, counters)`
function, and a pure core function (`str -> str` plus a record of edits)
that `run` wraps.
"""
