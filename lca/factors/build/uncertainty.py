"""Default uncertainties by data-quality method (``uncertainty_defaults.csv``).

The table ``lca.aggregate.uncertainty`` falls back on when neither the inventory
(``uncertainty_pct``) nor the library (a min/max range) gives a line's uncertainty: per ledger
``method`` (measured, supplier_specific, average_data, spend_based, estimated) and quantity
(``activity``: the activity amount; ``factor``: the factor), a lognormal distribution whose
median is the value, derived by the pedigree approach of the ecoinvent data quality guideline
(Weidema et al. 2013, §10.2): the five data-quality scores of ``curated/
uncertainty_methods.csv`` (lca's reading of what each method means, with its rationale) turn
into uncertainty factors (``curated/pedigree_factors.csv``), and with the basic uncertainty
factor of the quantity

    sigma_ln = sqrt(Σ ln(factor)²) / 2,        factor_95 = exp(1.96 × sigma_ln)

(the guideline's formula: sqrt(Σ ln²) is ln of the square of the geometric standard
deviation, the 95 % factor). The scores are judgements, not measurements: the notes say so.

``dqi_rules.csv`` (from ``curated/dqi_rules.csv``) holds the evidence rules that
``lca.aggregate.data_quality`` scores each ledger line's factor with where the engine knows
better than the method's scores: the factor's age against the reporting year (temporal), its
region against the line's country (geographical), a fallback factor (technological), and which
methods are primary data.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from lca.factors.build.common import Output, read_curated, rounded

INDICATORS = ("reliability", "completeness", "temporal", "geographical", "technological")
COLUMNS = (
    "method",
    "quantity",
    "distribution",
    "sigma_ln",
    "factor_95",
    *INDICATORS,
    "basic_factor",
    "source",
    "licence",
    "year",
    "notes",
)
SOURCE = (
    "pedigree approach (Weidema et al. 2013, Data quality guideline for the ecoinvent database "
    "version 3, §10.2); uncertainty factors of Ciroth et al. 2016 (Int J LCA 21:1338-1348) as "
    "transcribed in Brightway's pedigree-matrix code; basic uncertainty 1.05 (σ² 0.0006) of "
    "energy and material demands; data-quality indicators of the GHG Protocol Scope 3 "
    "Standard, ch. 7"
)
YEAR = 2016
DQI_SOURCE = (
    "GHG Protocol Corporate Value Chain (Scope 3) Standard (2011), ch. 7, data quality "
    "indicators (Table 7.6); score levels 1-5 of the pedigree matrix (Weidema et al. 2013, "
    "Data quality guideline for the ecoinvent database version 3)"
)
DQI_COLUMNS = ("indicator", "evidence", "match", "low", "high", "score", "rationale")


def sigma_ln(scores: dict[str, int], basic: float, factors: dict[tuple[str, int], float]) -> float:
    """σ of ln(value) from five pedigree scores and a basic uncertainty factor."""
    terms = [math.log(basic)] + [math.log(factors[(name, scores[name])]) for name in INDICATORS]
    return math.sqrt(sum(t * t for t in terms)) / 2


def build(data: Path) -> list[Output]:
    """The defaults table and the DQI rules (from the curated files only; ``data`` is not
    read)."""
    del data
    pedigree = read_curated("pedigree_factors.csv")
    factors = {
        (r.indicator, int(r.score)): float(r.factor) for r in pedigree.itertuples(index=False)
    }
    rows = []
    for r in read_curated("uncertainty_methods.csv").itertuples(index=False):
        scores = {name: int(getattr(r, name)) for name in INDICATORS}
        sigma = sigma_ln(scores, float(r.basic_factor), factors)
        rows.append(
            {
                "method": r.method,
                "quantity": r.quantity,
                "distribution": "lognormal",
                "sigma_ln": rounded(sigma),
                "factor_95": rounded(math.exp(1.96 * sigma)),
                **scores,
                "basic_factor": float(r.basic_factor),
                "source": SOURCE,
                "licence": "Apache-2.0 (scores by lca; factors cited)",
                "year": YEAR,
                "notes": f"scores (reliability, completeness, temporal, geographical, "
                f"technological) are lca's judgement of the method: {r.rationale}",
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS)).sort_values(["method", "quantity"])
    return [
        Output(
            "uncertainty_defaults.csv",
            "mapping",
            "uncertainty_defaults",
            "Apache-2.0 (scores by lca; factors cited)",
            ("curated",),
            "Default uncertainty (lognormal σ of ln) per data-quality method and quantity",
            frame.reset_index(drop=True),
        ),
        Output(
            "dqi_rules.csv",
            "mapping",
            "dqi_rules",
            "Apache-2.0 (rules by lca; criteria cited)",
            ("curated",),
            "Data-quality scores (1-5) of a line's factor from what the engine knows: factor "
            "age, factor region, fallback; primary data per method",
            dqi_rules(),
        ),
    ]


def dqi_rules() -> pd.DataFrame:
    """``curated/dqi_rules.csv`` with its source, licence and year."""
    rules = read_curated("dqi_rules.csv")[list(DQI_COLUMNS)]
    return rules.assign(
        source=DQI_SOURCE, licence="Apache-2.0 (rules by lca; criteria cited)", year=2011
    )
