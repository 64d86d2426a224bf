"""The options workbook (``shared/spec/compare.md``) as data: the inventory format plus an
``option`` column on every sheet, an ``options`` sheet and the comparison's own settings."""

from __future__ import annotations

import dataclasses

from lca.spec import SETTINGS_KEYS, SHEETS, Column, Sheet

OPTION = "option"

#: Sheets of the options workbook: every inventory sheet (with the ``option`` column), plus
#: ``options``.
COMPARE_SHEETS: dict[str, Sheet] = {
    **{
        name: sheet
        if name == "settings"
        else dataclasses.replace(sheet, extra_ok=(*sheet.extra_ok, OPTION))
        for name, sheet in SHEETS.items()
    },
    "options": Sheet(
        "options",
        (
            Column(OPTION, required=True, help="Unique name of the option", example="refurbished"),
            Column("description", help="What the option is", example="20 refurbished servers"),
        ),
        key=OPTION,
        help="The options compared.",
    ),
}

#: Sheets whose rows are assigned to options (the engine's inventory sheets).
OPTION_SHEETS = tuple(name for name in SHEETS if name != "settings")

#: Low- and high-carbon countries whose grid replaces the sites' grid in the sensitivity table.
DEFAULT_LOW_CARBON_COUNTRY = "FR"
DEFAULT_HIGH_CARBON_COUNTRY = "PL"

COMPARE_SETTINGS_KEYS: dict[str, Column] = {
    c.name: c
    for c in (
        Column(
            "horizon_years",
            "integer",
            required=True,
            minimum=1,
            help="Years compared, from start_date",
            example="5",
        ),
        Column(
            "start_date",
            "date",
            help="First day of the horizon (default: 1 January of the current year)",
            example="2025-01-01",
        ),
        Column(
            "functional_unit", required=True, help="What each option delivers", example="user-year"
        ),
        Column(
            "functional_unit_per_year",
            "number",
            required=True,
            minimum=0,
            help="Functional units each option delivers per year",
            example="500",
        ),
        Column(
            "organization",
            help="Who compares (default: Procurement comparison)",
            example="Acme Analytics SAS",
        ),
        Column(
            "low_carbon_country",
            "text",
            help=f"Sensitivity: low-carbon grid country (default {DEFAULT_LOW_CARBON_COUNTRY})",
            example="SE",
        ),
        Column(
            "high_carbon_country",
            "text",
            help=f"Sensitivity: high-carbon grid country (default {DEFAULT_HIGH_CARBON_COUNTRY})",
            example="PL",
        ),
        SETTINGS_KEYS["currency"],
        SETTINGS_KEYS["gwp_set"],
        SETTINGS_KEYS["capital_goods"],
        SETTINGS_KEYS["uncertainty_iterations"],
        SETTINGS_KEYS["uncertainty_seed"],
    )
}
