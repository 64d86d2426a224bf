"""Cloud Carbon Footprint (CCF, ``trunk`` 2024-03), reproduced: its formulas, constants and quirks.

The engine's cloud lines (``lca.activities.cloud``) follow CCF's estimators with CCF's
operation order, so that its published cases give the same numbers through the pipeline
(``tests/test_methods_reproduction.py``, from ``packages/core/src/*/__tests__``):

    compute   kWh = (W_min + util%/100 × (W_max − W_min)) × vCPU-hours × PUE × RF / 1000
    storage   kWh = TB-hours × coefficient (Wh/TBh) × PUE / 1000       (× RF by the caller)
    memory    kWh = GB-hours × 0.000392 × PUE (× RF for AWS and Azure)
    network   kWh = GB × 0.001 × PUE
    co2e      t   = kWh × grid factor (t CO2e/kWh)
    embodied  t   = embodied_t × (hours / 35040) × (vCPU / largest vCPU of the family);
              CCF's AWS and Azure hours are instance-hours / vCPU (quirk a), and it adds
              kWh = co2e / grid factor to the energy (quirk b)
    unknown   value = known value / known basis × row basis (cost for AWS, usage for GCP/Azure)

Both methods take an instance's watts, burstable scaling and memory above the SPECpower
server's from CCF's instance tables (``lca.activities.cloud.instance_power``), except the
watts of types whose processors CCF has no figure for (its provider average, compat
``power_fallback``): the default method takes their microarchitecture's. ``--method ccf``
adds CCF's grid factor of the region (compat ``ccf:<provider>:<region>``; the library's where
CCF has none), its lifespan (35 040 h), its PUE, the quirks (a) and (b), binary "TB" for
storage given in GiB and no WUE (``adjust_cloud_lines``); ``lca import --method ccf`` classifies
billing rows with quirks (c) (Azure pack sizes ignored) and (g) (Fargate GB-hours as SSD
storage), (d) for Azure managed disks (a day of the tier's capacity per billing line) and
CCF's Lambda rule (its second units read as vCPU-seconds; an inventory's GB-seconds of
compute too). CCF's replication factors (per service and usage type) and the days of the
billing month of GB-Mo lines are applied by ``lca import`` under both methods (the cloud
sheet's ``replication_factor``, GB-hours). Not reproduced in the pipeline: quirk (d) for
Azure GB/Month rows (CCF reads a GB-month as a GB-day), (f) 30.42 days for an undated
GB-month, (h) the unknown-ratio state that drifts across requests (a bug, not a method) and (i)
``t1.micro``'s memory.
"""

from __future__ import annotations

import pandas as pd

from lca.coerce import map_values
from lca.factors.library import FactorLibrary
from lca.methods.compat import LATEST

#: How lca's default cloud method differs from CCF (id → text); ``lca.methods.sizes``
#: measures each on the bundled example. The last is not reproduced by ``--method ccf``.
DIFFERENCES = {
    "pue": "PUE is CCF's constant per provider (its PUE_AVG, or GCP's regional value; library "
    "table compat) instead of the provider's latest published PUE",
    "grid": "the grid factor is CCF's table (eGRID NERC regions for AWS and Azure in the US, "
    "carbonfootprint.com and EEA elsewhere, Google's for GCP) instead of the library's "
    "life-cycle factor of the region's zone",
    "embodied": "AWS and Azure embodied emissions are divided by the instance's vCPU count a "
    "second time (CCF's usage time = instance-hours / vCPU), understating them by "
    "that factor, and amortised over CCF's 35 040 h (4 × 8 760 h) instead of 4 "
    "years of 365.25 days",
    "embodied_kwh": "embodied emissions are converted to pseudo-kWh (kgCO2e / grid factor) and "
    "added to the energy total",
    "no_machine_type": "compute rows without an instance type (vCPU-hours of serverless or "
    "managed services) have no embodied share, as in CCF, instead of the "
    "provider's median per vCPU-hour",
    "water": "no on-site water (CCF has no WUE)",
    "processor_power": "an instance type whose processors CCF has no watts for (AWS Ice Lake "
    "and AMD EPYC 3rd gen, Azure Ice Lake, processors CCF lists as unknown …), which CCF gives "
    "its provider average, takes the W per vCPU of its microarchitecture from ccf-coefficients' "
    "2026 files; where no file has one, both take the average and flag the line "
    "(factor-fallback)",
    "binary_units": "usage given in binary units (GiB, GiB-hours: GCP's bytes and "
    'byte-seconds) is read as CCF reads it, a GiB per "GB" and a TiB per '
    '"TB", instead of converted to decimal units',
    "functions": "a Lambda GB-second is read as a vCPU-second (vCPU-hours = GB-seconds / "
    "3600) instead of GB-seconds / 3600 / 1.7275 (AWS gives a function one vCPU at 1,769 MB; "
    "library cloud aws:functions), which counts 1.73 times the vCPU-hours",
    "managed_disks": "an Azure managed disk billed per disk-month counts a day of its tier's "
    "capacity per billing line (GB-hours = capacity × 24, whatever the disk-months billed), "
    "instead of disk-months × the tier's capacity in GiB; written by lca import azure-cost "
    "--method ccf",
    "gb_month": "a cloud row in GB-months (undated: an inventory row, or a billing line "
    "without a usage date) is a mean month of 730.5 h, under either method; CCF takes 30.42 "
    "days. Billing lines with a usage date are GB-hours of their month under both, as in CCF",
}


def provider_pue(provider: pd.Series, region: pd.Series, library: FactorLibrary) -> pd.Series:
    """CCF's PUE of each (provider, region): GCP's regional value, else the provider's."""

    def pue(pair) -> float:
        provider_, region_ = pair
        for key in (f"ccf:{provider_}:{region_}", f"ccf:{provider_}"):
            found = library.value("compat", key, "pue", LATEST)
            if found is not None:
                return found[0]
        return float("nan")

    pairs = pd.Series(list(zip(provider, region, strict=True)), index=provider.index)
    return map_values(pairs, pue).astype("float64")


def adjust_cloud_lines(
    use: pd.DataFrame,
    made: pd.DataFrame,
    frame: pd.DataFrame,
    per_row: pd.DataFrame,
    library: FactorLibrary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Estimated cloud lines as CCF computes them (see ``DIFFERENCES``).

    ``use`` and ``made`` are the use and embodied lines of ``frame``'s rows (same index);
    ``per_row`` holds each row's grid factor ``ef_gwp`` (kgCO2e/kWh) and ``grid_water``
    (CCF counts no on-site water) with its id ``id_grid_water``.
    """
    pue = provider_pue(
        frame.loc[use.index, "provider"], frame.loc[use.index, "region"], library
    ).fillna(use["pue"])
    use = use.assign(
        pue=pue,
        activity_amount=use["energy_it_kwh"] * pue,
        ef_water=per_row["grid_water"],
        factor_water=per_row["id_grid_water"],
        factor_other=use["factor_other"].astype(str) + ";ccf:pue",
    )
    rows = frame.loc[made.index]
    per_instance = rows["unit"].isin(["h", "hour"]) & rows["provider"].isin(["aws", "azure"])
    vcpu = made["activity_amount"] / made["quantity"]
    ef = made["ef_gwp"].where(~per_instance, made["ef_gwp"] / vcpu)
    made = made.assign(
        ef_gwp=ef,
        ef_gwp_market=ef,
        ef_energy=ef / per_row.loc[made.index, "ef_gwp"],
        factor_other=made["factor_other"].astype(str) + ";ccf:embodied",
    )
    return use, made
