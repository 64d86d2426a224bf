"""Stage 4 — compute the ledger lines of each activity sheet (one module per sheet).

Each module has ``lines(frame, ctx) -> (list[DataFrame], list[Issue])``: it maps its accepted
rows to factors (``lca.mapping.match``), computes the lines' activity, factors and allocation
shares, and reports rows that cannot be computed as issues (those rows never enter the ledger).
"""
