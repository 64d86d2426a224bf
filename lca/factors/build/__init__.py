"""Build the factor library ``factors/`` from the public datasets in ``../shared/data``.

One module per source family; each exposes ``build(data) -> list[Output]`` and derives its
tables from the source files only (plus the small reviewed CSVs in ``curated/``). The build is
deterministic: sorted rows, fixed number format, build date taken from the sources. Its output
is committed; nothing here runs when the engine computes a footprint.
"""
