"""The inventory format (``shared/spec/inventory.md``) as data.

One ``Column`` per column of each sheet: its kind, whether it is required, allowed values and
a help text. The reader, the validator, the template writer and the workpaper's Inputs sheet
all use this one description, so the format is written down once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Column added to every sheet read: the spreadsheet row number (header = row 1).
ROW = "_row"
#: Column added to every validated sheet: the file the row came from.
FILE = "_file"
EQUIPMENT_CATEGORIES = (
    "server",
    "gpu_server",
    "storage_array",
    "switch",
    "router",
    "firewall",
    "laptop",
    "desktop",
    "monitor",
    "smartphone",
    "tablet",
    "printer",
    "other",
)
SITE_KINDS = ("office", "datacenter", "colocation", "remote")
CARRIERS_SCOPE2 = ("electricity", "district_heating", "district_cooling", "steam")
CARRIERS_FUEL = ("natural_gas", "diesel", "petrol", "lpg", "fuel_oil")
CARRIERS = CARRIERS_SCOPE2 + CARRIERS_FUEL
INSTRUMENTS = ("none", "go", "rec", "i_rec", "ppa", "green_tariff")
PROVIDERS = ("aws", "gcp", "azure", "ovh", "scaleway", "other")
USAGE_TYPES = ("compute", "gpu", "memory", "storage_ssd", "storage_hdd", "network", "other")
CONDITIONS = ("new", "refurbished")
SCOPE3_CATEGORIES = tuple(range(1, 16))
HOLDINGS = ("owned", "finance_lease", "operating_lease", "colocation_hosted")
SCREENING_STATUSES = ("included", "excluded", "not_applicable")
PHASES = ("training", "fine_tuning", "inference", "hyperparameter_search", "data_processing")
OFFSET_KINDS = ("removal", "reduction")
INDICATORS = ("gwp", "gwp_upstream", "water", "adpe")
FACTOR_SHEETS = ("energy", "equipment", "refrigerants", "services", "cloud")
CAPITAL_GOODS = ("amortized", "acquisition_year")
CONSOLIDATION = ("operational_control", "financial_control", "equity_share")
GWP_SETS = ("AR4", "AR5", "AR6")
#: Spend-based (EEIO) factor sets: US EPA USEEIO supply-chain factors (USD) or ADEME Base
#: Carbone monetary ratios (EUR, France); see factors/README.md.
EEIO_SOURCES = ("epa_useeio", "ademe")
SCOPE2_METHODS = ("location", "market")
TARGET_KINDS = ("absolute", "intensity")
#: Settings usable as the denominator of an intensity target (numbers of the settings sheet).
INTENSITY_DENOMINATORS = ("net_revenue",)
#: Provenance columns written by ``lca import`` (input file, first row, rows summed).
IMPORT_PROVENANCE = ("source_file", "source_row", "source_rows")
#: How a row that may count what activity rows already count is resolved (``lca.aggregate.
#: overlap``): ``excluded`` — already counted there, kept as attribution; ``distinct`` — it
#: covers something else, counted.
OVERLAP = ("excluded", "distinct")


@dataclass(frozen=True)
class Column:
    """One column of an inventory sheet.

    ``kind`` is one of: text, number, integer, date, choice, unit, country, currency, boolean.
    ``unit`` is the unit implied by the column name (``_kwh`` → kWh), for numbers.
    ``minimum`` and ``maximum`` bound a number; ``maximum`` is checked on settings keys only
    (iterations that size the work, a percentage), where it is at most ``MAX_MAGNITUDE``.
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    """One sheet of the inventory format; ``key`` names its unique column, if any."""

    name: str
    columns: tuple[Column, ...]
    key: str | None = None
    help: str = ""
    extra_ok: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name, kind="text", required=False, **kw) -> Column:
    return Column(name=name, kind=kind, required=required, **kw)


def _uncertainty(of: str) -> Column:
    """The optional ``uncertainty_pct`` column (``lca.aggregate.uncertainty``)."""
    return _c(
        "uncertainty_pct",
        "number",
        minimum=0,
        help=f"Uncertainty of {of}: half-width of its 95 % interval in % of the value "
        "(0 = exact; blank = the library's range or the default of its data-quality method)",
        example="",
    )


#: Most Monte Carlo iterations (``uncertainty_iterations``): a million take about half a minute
#: on the example and a figure's draws 8 MB each; the default 10,000 is within 1 % already.
MAX_ITERATIONS = 1_000_000
#: Largest ``uncertainty_seed``: a 32-bit number, exact as a float and in any JSON reader.
MAX_SEED = 2**32 - 1

SETTINGS_KEYS: dict[str, Column] = {
    c.name: c
    for c in (
        _c(
            "organization",
            required=True,
            help="Legal name of the reporting organisation",
            example="Acme Analytics SAS",
        ),
        _c("period_start", "date", help="First day of the reporting period", example="2025-01-01"),
        _c(
            "period_end",
            "date",
            help="Last day of the reporting period (inclusive)",
            example="2025-12-31",
        ),
        _c(
            "reporting_year",
            "integer",
            help="Shorthand for 1 Jan – 31 Dec of that year",
            example="2025",
        ),
        _c(
            "currency",
            "currency",
            help="ISO 4217 currency of spend columns (default EUR)",
            example="EUR",
        ),
        _c(
            "consolidation_approach",
            "choice",
            choices=CONSOLIDATION,
            help="Organisational boundary approach",
            example="operational_control",
        ),
        _c(
            "capital_goods",
            "choice",
            choices=CAPITAL_GOODS,
            help="The headline view of capital goods: acquisition_year (default; GHG Protocol "
            "Scope 3 Standard, category 2) or amortized (straight-line over lifetime; a "
            "stated departure)",
            example="acquisition_year",
        ),
        _c(
            "net_revenue",
            "number",
            minimum=0,
            help="Net revenue in `currency`, for GHG intensity",
            example="12500000",
        ),
        _c(
            "gwp_set",
            "choice",
            choices=GWP_SETS,
            help="IPCC report for GWP100 values",
            example="AR6",
        ),
        _c(
            "eeio_source",
            "choice",
            choices=EEIO_SOURCES,
            help="Spend factors: epa_useeio (default; US EPA, kgCO2e/USD) or ademe (ADEME "
            "monetary ratios, kgCO2e/EUR)",
            example="epa_useeio",
        ),
        _c(
            "issue_date",
            "date",
            help="Date the report is issued (default: period_end)",
            example="2026-03-31",
        ),
        _c(
            "management_statement",
            help="The management's statement printed on the report's statement page",
            example="",
        ),
        _c(
            "boundary",
            help="The organisational and operational boundary, in words",
            example="All sites and IT operations under operational control",
        ),
        _c(
            "legal_entities",
            help="Legal entities inside the boundary, separated by ';'",
            example="Acme Analytics SAS; Acme Analytics GmbH",
        ),
        _c(
            "base_year",
            "integer",
            help="Base year of the recalculation policy: the current "
            "reporting year or the year of an inventory given with --prior",
            example="2024",
        ),
        _c(
            "recalculation_threshold",
            "number",
            minimum=0,
            maximum=100,
            help="Significance threshold of a restatement, in % of the base year's total "
            "(default 5)",
            example="5",
        ),
        _c(
            "restatement_reason",
            help="Why this year's figures were restated (read from a prior year's inventory)",
            example="grid factors corrected",
        ),
        _c(
            "uncertainty_iterations",
            "integer",
            minimum=100,
            maximum=MAX_ITERATIONS,
            help="Monte Carlo iterations of the uncertainty analysis (default 10000, at most "
            f"{MAX_ITERATIONS:,})",
            example="10000",
        ),
        _c(
            "uncertainty_seed",
            "integer",
            minimum=0,
            maximum=MAX_SEED,
            help="Seed of the Monte Carlo draws (default 0): the same seed, the same figures",
            example="0",
        ),
    )
}

SHEETS: dict[str, Sheet] = {
    s.name: s
    for s in (
        Sheet(
            "settings",
            (_c("key", required=True), _c("value")),
            help="Two columns: key, value. organization and the period are required.",
        ),
        Sheet(
            "sites",
            (
                _c("site_id", required=True, help="Unique identifier", example="PAR-HQ"),
                _c("name", help="Site name", example="Paris headquarters"),
                _c(
                    "country",
                    "country",
                    required=True,
                    help="ISO 3166-1 alpha-2 or alpha-3",
                    example="FR",
                ),
                _c("kind", "choice", required=True, choices=SITE_KINDS, example="office"),
                _c(
                    "pue",
                    "number",
                    minimum=1.0,
                    help="Power usage effectiveness (default per kind)",
                    example="1.5",
                ),
                _c(
                    "wue_l_per_kwh",
                    "number",
                    minimum=0,
                    unit="L/kWh",
                    help="On-site water per kWh of IT energy",
                    example="0.3",
                ),
                _c(
                    "grid_zone", help="Sub-national grid zone (e.g. an eGRID subregion)", example=""
                ),
            ),
            key="site_id",
            help="Where equipment runs and energy is bought.",
        ),
        Sheet(
            "equipment",
            (
                _c("asset_id", required=True, help="Unique identifier", example="SRV-001"),
                _c(
                    "category",
                    "choice",
                    required=True,
                    choices=EQUIPMENT_CATEGORIES,
                    example="server",
                ),
                _c(
                    "model",
                    help="Free text; a factor-library model key where known",
                    example="Dell PowerEdge R740",
                ),
                _c(
                    "quantity",
                    "integer",
                    required=True,
                    minimum=1,
                    help="Number of units",
                    example="4",
                ),
                _c("acquired_on", "date", required=True, example="2023-03-15"),
                _c(
                    "lifetime_years",
                    "number",
                    minimum=0,
                    unit="year",
                    help="Default per category from the library",
                    example="5",
                ),
                _c("retired_on", "date", help="Disposal date, if any", example=""),
                _c("site_id", required=True, help="Where it runs", example="PAR-DC"),
                _c(
                    "condition",
                    "choice",
                    choices=CONDITIONS,
                    help="new (default) or refurbished",
                    example="new",
                ),
                _c(
                    "power_w",
                    "number",
                    minimum=0,
                    unit="W",
                    help="Average draw per unit while in service",
                    example="350",
                ),
                _c(
                    "annual_kwh",
                    "number",
                    minimum=0,
                    unit="kWh",
                    help="Annual energy per unit (wins over power_w)",
                    example="",
                ),
                _c(
                    "embodied_kgco2e",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="Supplier cradle-to-gate footprint per unit",
                    example="",
                ),
                _c("embodied_source", help="Document the embodied value comes from", example=""),
                _c(
                    "holding",
                    "choice",
                    choices=HOLDINGS,
                    help="How the device is held (default owned): an operating lease puts its "
                    "embodied impact in category 1, the others in category 2",
                    example="owned",
                ),
                _uncertainty("the row's activity data"),
            ),
            key="asset_id",
            help="Owned or leased hardware.",
        ),
        Sheet(
            "energy",
            (
                _c("site_id", required=True, example="PAR-HQ"),
                _c("carrier", "choice", required=True, choices=CARRIERS, example="electricity"),
                _c("quantity", "number", required=True, minimum=0, example="120000"),
                _c("unit", "unit", required=True, help="kWh, MWh, GJ, L, m³, kg …", example="kWh"),
                _c("period_start", "date", help="Default: the reporting period", example=""),
                _c("period_end", "date", example=""),
                _c("supplier", example="EDF"),
                _c(
                    "instrument",
                    "choice",
                    choices=INSTRUMENTS,
                    help="Electricity only",
                    example="none",
                ),
                _c(
                    "contractual_kgco2e_per_kwh",
                    "number",
                    minimum=0,
                    unit="kgCO2e/kWh",
                    help="Supplier or instrument emission rate (market-based)",
                    example="",
                ),
                _c(
                    "renewable",
                    "choice",
                    choices=("yes", "no"),
                    help="no: the instrument is not renewable energy (ESRS E1-5); default: a ppa, "
                    "green_tariff, go, rec or i_rec instrument is",
                    example="",
                ),
                _c(
                    "cv_basis",
                    "choice",
                    choices=("gross", "net"),
                    help="Fuels in kWh, MWh, GJ or therm: the calorific value the bill's energy "
                    "is on; default gross (utility bills in the UK, France, Germany and the US)",
                    example="",
                ),
                _c("evidence", help="Document reference", example="invoice 2025-INV-001"),
                _uncertainty("the row's activity data"),
            ),
            help="Purchased energy and fuels burned on site.",
        ),
        Sheet(
            "refrigerants",
            (
                _c("site_id", required=True, example="PAR-DC"),
                _c("gas", required=True, help="R-410A, R-134a, R-32 …", example="R-410A"),
                _c("leaked_kg", "number", minimum=0, unit="kg", example="2.5"),
                _c("charge_kg", "number", minimum=0, unit="kg", example=""),
                _c(
                    "annual_leak_rate",
                    "number",
                    minimum=0,
                    help="Fraction per year (0–1)",
                    example="",
                ),
                _c("evidence", example="maintenance log 2025-07"),
                _uncertainty("the row's activity data"),
            ),
            help="Refrigerant leaks (scope 1).",
        ),
        Sheet(
            "cloud",
            (
                _c("provider", "choice", required=True, choices=PROVIDERS, example="aws"),
                _c("region", required=True, help="Provider region code", example="eu-west-3"),
                _c("service", help="Provider service name", example="AmazonEC2"),
                _c(
                    "resource",
                    help="Instance type or SKU; for vCPU-hours or GB-seconds without one, the "
                    "processor when known (aws_graviton2)",
                    example="m5.xlarge",
                ),
                _c("usage_type", "choice", required=True, choices=USAGE_TYPES, example="compute"),
                _c("quantity", "number", required=True, minimum=0, example="8760"),
                _c(
                    "unit",
                    "unit",
                    required=True,
                    help="h, vcpu_h, gpu_h, GB_h, GB_month, GB …; compute in GB*s is serverless "
                    "function memory-time (AWS Lambda)",
                    example="h",
                ),
                _c(
                    "gpu_model",
                    help="GPU model of gpu usage (and of compute on a GPU instance type), a key "
                    "of the library's GPU models (a100, v100, t4 …; case, spaces and the vendor "
                    "name are ignored): its per-GPU power instead of the instance type's, or of "
                    "the median GPU when the type or its GPU is unknown",
                    example="",
                ),
                _c(
                    "replication_factor",
                    "number",
                    minimum=1,
                    help="Copies of the data or machines the provider keeps (Cloud Carbon "
                    "Footprint's factor per service, e.g. S3 standard 6, EBS volume 2; written by "
                    "lca import); multiplies the IT energy of compute, gpu, storage and memory "
                    "(not GCP memory); blank = 1",
                    example="",
                ),
                _c("spend", "number", minimum=0, example=""),
                _c("currency", "currency", example=""),
                _c(
                    "reported_kgco2e",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="The provider's own figure (wins), location-based",
                    example="",
                ),
                _c(
                    "reported_kgco2e_market",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="The provider's own market-based figure, where it gives one",
                    example="",
                ),
                _uncertainty("the row's activity data"),
            ),
            help="Usage bought from cloud providers (scope 3 category 1).",
            extra_ok=IMPORT_PROVENANCE,
        ),
        Sheet(
            "services",
            (
                _c("supplier", example="Atlassian"),
                _c("description", example="Jira and Confluence licences"),
                _c(
                    "category",
                    required=True,
                    help="Spend-factor key (NAICS code or named key)",
                    example="saas",
                ),
                _c("spend", "number", required=True, minimum=0, example="48000"),
                _c("currency", "currency", example="EUR"),
                _c("spend_year", "integer", help="Price year of the amount", example="2025"),
                _c(
                    "supplier_kgco2e",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="Supplier-specific total",
                    example="",
                ),
                _c(
                    "scope3_category",
                    "integer",
                    minimum=1,
                    help="GHG Protocol category (default 1)",
                    example="1",
                ),
                _c(
                    "overlap",
                    "choice",
                    choices=OVERLAP,
                    help="When the spend may be counted by activity rows too: excluded (already "
                    "counted there) or distinct (covers something else)",
                    example="",
                ),
                _uncertainty("the row's activity data"),
            ),
            help="Other purchased goods and services (spend-based).",
        ),
        Sheet(
            "compute_jobs",
            (
                _c("job_id", required=True, example="llm-ft-2025-03"),
                _c("phase", "choice", choices=PHASES, example="fine_tuning"),
                _c(
                    "hardware",
                    required=True,
                    help="GPU or CPU model key",
                    example="nvidia_a100_sxm_40gb",
                ),
                _c("device_count", "integer", minimum=1, example="8"),
                _c("hours", "number", minimum=0, unit="h", example="72"),
                _c("utilization", "number", minimum=0, help="0–1 (default 1)", example="0.8"),
                _c("memory_gb", "number", minimum=0, unit="GB", example="256"),
                _c(
                    "location",
                    required=True,
                    help="Country, grid zone (e.g. CA-QC, SE-SE3), or provider:region",
                    example="aws:us-east-1",
                ),
                _c("runs_on", required=True, help="cloud or asset:<asset_id>", example="cloud"),
                _c("pue", "number", minimum=1.0, example=""),
                _c(
                    "repeats",
                    "number",
                    minimum=0,
                    help="Times the job was run (default 1)",
                    example="1",
                ),
                _c(
                    "measured_kwh",
                    "number",
                    minimum=0,
                    unit="kWh",
                    help="Measured IT energy, without PUE",
                    example="",
                ),
                _c(
                    "flops",
                    "number",
                    minimum=0,
                    help="A-priori estimate when hours are unknown",
                    example="",
                ),
                _c(
                    "overlap",
                    "choice",
                    choices=OVERLAP,
                    help="When cloud rows of the same provider and region hold this job too: "
                    "excluded (already counted there) or distinct",
                    example="",
                ),
                _c(
                    "cores",
                    "number",
                    minimum=0,
                    help="CPU cores used per device: power = cores × TDP per core "
                    "(Green Algorithms)",
                    example="",
                ),
                _c(
                    "reported_kgco2e",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="The tracker's own figure (e.g. CodeCarbon emissions), kept beside lca's",
                    example="",
                ),
                _uncertainty("the row's activity data"),
            ),
            key="job_id",
            help="AI / ML and other compute workloads.",
            extra_ok=IMPORT_PROVENANCE,
        ),
        Sheet(
            "genai_usage",
            (
                _c(
                    "provider",
                    required=True,
                    help="As EcoLogits spells it (openai, anthropic, mistralai, google_genai, "
                    "cohere, huggingface_hub); google, mistral accepted",
                    example="openai",
                ),
                _c(
                    "model",
                    required=True,
                    help="The provider's model name or alias",
                    example="gpt-4o-mini",
                ),
                _c(
                    "requests",
                    "integer",
                    required=True,
                    minimum=0,
                    help="Requests made in the row's period",
                    example="182000",
                ),
                _c(
                    "output_tokens",
                    "number",
                    required=True,
                    minimum=0,
                    help="Tokens generated, total over the requests",
                    example="54600000",
                ),
                _c(
                    "input_tokens",
                    "number",
                    minimum=0,
                    help="Prompt tokens, total (recorded; not in EcoLogits' model)",
                    example="",
                ),
                _c(
                    "latency_s",
                    "number",
                    minimum=0,
                    unit="s",
                    help="Mean measured latency of one request (caps the modelled time)",
                    example="",
                ),
                _c(
                    "region",
                    help="Country of the electricity (ISO code or name) or WOR; blank: "
                    "the provider's default zone",
                    example="",
                ),
                _c("period_start", "date", example="2025-01-01"),
                _c("period_end", "date", example="2025-12-31"),
                _c(
                    "project",
                    help="Project or team (budgets match its prefix)",
                    example="chatbot-support",
                ),
                _c("cost", "number", minimum=0, help="Amount billed for the row", example=""),
                _c("currency", "currency", example="USD"),
                _uncertainty("the row's activity data"),
            ),
            help="Hosted generative-AI models called through an API (scope 3 category 1).",
            extra_ok=IMPORT_PROVENANCE,
        ),
        Sheet(
            "budgets",
            (
                _c(
                    "scope",
                    required=True,
                    help="Prefix of a job_id, asset_id or genai_usage project, or all",
                    example="llm-",
                ),
                _c("kgco2e", "number", required=True, minimum=0, unit="kgCO2e", example="5000"),
                _c("note", example="Training budget 2025"),
            ),
            help="Carbon budgets (optional).",
        ),
        Sheet(
            "scope3_screening",
            (
                _c(
                    "category",
                    "choice",
                    required=True,
                    choices=tuple(str(c) for c in SCOPE3_CATEGORIES),
                    help="GHG Protocol scope 3 category, 1–15",
                    example="7",
                ),
                _c(
                    "status",
                    "choice",
                    required=True,
                    choices=SCREENING_STATUSES,
                    example="excluded",
                ),
                _c(
                    "reason",
                    help="Why (required for excluded and not_applicable)",
                    example="below 1 % of scope 3 by a spend screening",
                ),
                _c(
                    "estimated_kgco2e",
                    "number",
                    minimum=0,
                    unit="kgCO2e",
                    help="Estimated size of an excluded category, if known",
                    example="1200",
                ),
            ),
            key="category",
            help="Scope 3 screening: every category included, excluded (why, "
            "size if known) or not applicable (why).",
        ),
        Sheet(
            "targets",
            (
                _c("target_id", required=True, help="Unique identifier", example="T-2030"),
                _c(
                    "scope",
                    required=True,
                    help="1, 2, 1+2, 3, 1+2+3, or scope 3 categories 3.1, 3.1+3.2 …",
                    example="1+2",
                ),
                _c(
                    "scope2_method",
                    "choice",
                    choices=SCOPE2_METHODS,
                    help="Scope 2 method of the target (required when it covers scope 2)",
                    example="market",
                ),
                _c("kind", "choice", required=True, choices=TARGET_KINDS, example="absolute"),
                _c(
                    "intensity_denominator",
                    "choice",
                    choices=INTENSITY_DENOMINATORS,
                    help="Setting divided into the emissions of an intensity target",
                    example="",
                ),
                _c("base_year", "integer", required=True, example="2024"),
                _c("target_year", "integer", required=True, example="2030"),
                _c(
                    "reduction_pct",
                    "number",
                    required=True,
                    minimum=0,
                    help="Reduction from the base year, in %",
                    example="42",
                ),
                _c("science_based", help="Validation, e.g. SBTi near-term (optional)", example=""),
            ),
            key="target_id",
            help="GHG reduction targets (ESRS E1-4).",
        ),
        Sheet(
            "offsets",
            (
                _c("project", required=True, example="Rimba Raya"),
                _c("standard", example="VCS"),
                _c("vintage", "integer", example="2022"),
                _c(
                    "quantity_tco2e",
                    "number",
                    required=True,
                    minimum=0,
                    unit="tCO2e",
                    example="100",
                ),
                _c("kind", "choice", choices=OFFSET_KINDS, example="reduction"),
                _c("retired_on", "date", example="2025-06-30"),
                _c("serial", example="VCS-1234-…"),
            ),
            help="Memo only: never deducted from any total.",
        ),
        Sheet(
            "factors",
            (
                _c("factor_id", required=True, example="own-elec-fr"),
                _c("sheet", "choice", required=True, choices=FACTOR_SHEETS, example="energy"),
                _c(
                    "key",
                    required=True,
                    help="What it matches, e.g. electricity:FR",
                    example="electricity:FR",
                ),
                _c("indicator", "choice", required=True, choices=INDICATORS, example="gwp"),
                _c(
                    "stage",
                    "choice",
                    choices=("manufacturing", "end_of_life"),
                    help="Equipment only (default manufacturing)",
                    example="",
                ),
                _c("value", "number", required=True, minimum=0, example="0.052"),
                _c("unit", "unit", required=True, example="kgCO2e/kWh"),
                _c("source", required=True, example="Supplier disclosure 2025"),
                _c("year", "integer", example="2025"),
                _c("region", example="FR"),
                _uncertainty("the factor"),
            ),
            key="factor_id",
            help="The organisation's own factors (override the library).",
        ),
    )
}
