"""Findings of an audit after the first hostile-input pass (issue 22): each reproduced as the
audit found it, ending in a located issue, the exit code and all-or-nothing outputs."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPORT_SHEETS, write_inventory

from lca.cli import main


def _report(tmp_path, **changes):
    return write_inventory(tmp_path / "inv", **{**REPORT_SHEETS, **changes})


def _cli_report(inventory, out, *extra):
    outcome = CliRunner().invoke(main, ["report", str(inventory), "--out", str(out), *extra])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.output
    return outcome


def _settings(extra: str) -> str:
    return "key,value\norganization,Acme Labs\nreporting_year,2024\nnet_revenue,12000000\n" + extra


# --- settings that size the work ---------------------------------------------------------


@pytest.mark.parametrize(
    "key, value",
    [
        ("uncertainty_iterations", "1e9"),  # hung
        ("uncertainty_iterations", "1e300"),  # ValueError: Maximum allowed dimension exceeded
        ("uncertainty_iterations", "100000000"),  # MemoryError
        ("uncertainty_iterations", "99"),
        ("uncertainty_seed", "1e300"),
    ],
)
def test_settings_that_size_the_monte_carlo_are_bounded(tmp_path, key, value):
    inventory = _report(tmp_path, settings=_settings(f"{key},{value}\n"))
    out = tmp_path / "out"
    outcome = _cli_report(inventory, out)
    assert outcome.exit_code == 1, outcome.output
    assert not out.exists()
    outcome = CliRunner().invoke(main, ["validate", str(inventory), "--json"])
    issues = [i for i in json.loads(outcome.output) if i["code"] == "invalid-setting"]
    assert [(i["severity"], i["source"]) for i in issues] == [
        ("error", {"file": "settings.csv", "sheet": "settings", "row": 5, "column": "value"})
    ]
    limit = "from 100 to 1,000,000" if key == "uncertainty_iterations" else "to 4,294,967,295"
    assert limit in issues[0]["message"] and issues[0]["value"] == value


def test_a_million_iterations_is_accepted(tmp_path, fixture_library):
    from lca.pipeline import run

    inventory = write_inventory(
        tmp_path / "inv",
        settings="key,value\norganization,X\nreporting_year,2024\nuncertainty_iterations,1000000\n",
    )
    result = run(inventory, library=fixture_library)
    assert result.ok and result.valid_settings.uncertainty_iterations == 1_000_000


# --- settings issues are located at the settings sheet -----------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples"


def _where(issues, code):
    return [
        (i.source.file, i.source.sheet, i.source.row, i.source.column)
        for i in issues
        if i.code == code
    ]


def test_settings_issues_point_at_the_settings_file_and_row(tmp_path):
    """They were located at the first input file (``budgets.csv:settings [gwp_set]``) or at
    the folder (``examples/acme:settings``)."""
    from lca.pipeline import run

    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLE / "acme", folder)
    settings = (folder / "settings.csv").read_text()
    (folder / "settings.csv").write_text(
        settings.replace("capital_goods,acquisition_year", "capital_goods,amortized")
    )
    result = run(folder)
    assert _where(result.issues, "gwp-set-mixed") == [("settings.csv", "settings", 8, "value")]
    assert _where(result.issues, "capital-goods-amortized") == [
        ("settings.csv", "settings", 6, "value")
    ]
    assert _where(result.issues, "base-year-unknown") == [("settings.csv", "settings", 9, "value")]


def test_a_setting_not_given_is_located_at_its_key_in_the_settings_sheet(tmp_path):
    from lca.pipeline import run

    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLE / "acme", folder)
    lines = (folder / "settings.csv").read_text().splitlines()
    (folder / "settings.csv").write_text(
        "\n".join(line for line in lines if not line.startswith(("gwp_set", "base_year"))) + "\n"
    )
    result = run(folder)
    assert _where(result.issues, "gwp-set-mixed") == [("settings.csv", "settings", None, "gwp_set")]
    assert _where(result.issues, "base-year-missing") == [
        ("settings.csv", "settings", None, "base_year")
    ]


def test_a_folder_without_settings_names_the_settings_file(tmp_path, fixture_library):
    from lca.pipeline import run

    folder = write_inventory(tmp_path / "inv", sites="site_id,name,country,kind\nP,P,FR,office\n")
    (folder / "settings.csv").unlink()
    result = run(folder, library=fixture_library)
    assert _where(result.issues, "missing-sheet") == [("settings.csv", "settings", None, None)]


def test_compare_settings_issues_point_at_the_settings_file(tmp_path, fixture_library):
    """In a comparison they were located at the first file (``equipment.csv:settings``), and
    the engine's own settings for the horizon warned of a period longer than two years."""
    from helpers import COMPARE_OPTIONS, COMPARE_SITES, compare_settings

    from lca.compare.model import compare

    folder = write_inventory(
        tmp_path / "cmp",
        settings=compare_settings(5, capital_goods="amortized"),
        options=COMPARE_OPTIONS,
        sites=COMPARE_SITES,
        equipment="asset_id,category,quantity,acquired_on,site_id,option\n"
        "S1,server,1,2025-01-01,OFF,a\nS2,server,1,2025-01-01,OFF,b\n",
    )
    result = compare(folder, fixture_library, sensitivity=False, uncertainty=False)
    assert set(_where(result.issues, "capital-goods-amortized")) == {
        ("settings.csv", "settings", 6, "value")
    }
    assert "implausible-value" not in {i.code for i in result.issues}


def test_compare_monte_carlo_draws_are_bounded(tmp_path, fixture_library):
    """20 options over 50 years (1,000 yearly inventories, the limit) at a million
    iterations would keep 1,020 figures × 1,000,000 draws: 8 GB."""
    from helpers import COMPARE_SITES, compare_settings

    from lca.compare.options import read_options

    options = "option,description\n" + "".join(f"o{i},option {i}\n" for i in range(20))
    settings = compare_settings(50) + "uncertainty_iterations,1000000\n"
    folder = write_inventory(tmp_path, settings=settings, options=options, sites=COMPARE_SITES)
    book = read_options(folder, fixture_library)
    [issue] = [i for i in book.issues if i.code == "invalid-setting"]
    assert (issue.source.file, issue.source.row, issue.source.column) == (
        "settings.csv",
        7,
        "value",
    )
    assert "1,020,000,000 draws" in issue.message and not book.inventories
    ok = write_inventory(
        tmp_path / "ok", settings=compare_settings(50), options=options, sites=COMPARE_SITES
    )
    assert not [i for i in read_options(ok, fixture_library).issues if i.severity == "error"]


# --- the claims guard reads through separators ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Carbon  Neutral hosting",  # two spaces
        "a Net  Zero company",
        "carbon_neutral",
        "NET__ZERO",
        "carbon\tneutral",
        "carbon\t \tneutral",
        "carbon\u00a0\u00a0neutral",  # no-break spaces
        "carbon\u2003neutral",  # em space
        "carbon \u3000 neutral",  # ideographic space
        "carbon.neutral",
        "carbon - neutral",
        "carbon \u200d neutral",  # zero-width joiner between spaces
        "carbon\u2060_\u200bneutral",  # word joiner, underscore, zero-width space
        "neutre  en  carbone",  # fr
        "neutre_en_carbone",
        "CO2__neutral",  # de / en
        "null  Emissionen",  # de
        "carbono__neutro",  # es
        "neutralità  carbonica",  # it
        "zero emissões  líquidas",  # pt
        "netto  nul",  # nl
        "碳 中和",  # zh
        "碳_中和",
        "カーボン ニュートラル",  # ja
        "ネット\u3000ゼロ",
    ],
)
def test_claims_written_with_odd_separators_stop_the_report(tmp_path, text):
    services = (
        "supplier,description,category,spend,currency,spend_year\n"
        f'Atlassian,"{text}",saas,48000,EUR,2024\n'
    )
    inventory = _report(tmp_path, services=services)
    out = tmp_path / "out"
    outcome = _cli_report(inventory, out)
    assert outcome.exit_code == 1, outcome.output
    assert "services.csv:services:2 [description]: error:" in outcome.output
    assert "(claim-refused)" in outcome.output
    assert not out.exists()


def test_separators_do_not_make_claims_of_the_formats_own_codes(fixture_library, tmp_path):
    """``green_tariff`` is an instrument of the format, not a claim of greenness."""
    from lca.pipeline import run
    from lca.report.claims import check_inventory

    energy = "site_id,carrier,quantity,unit,instrument\nPAR-HQ,electricity,1,kWh,green_tariff\n"
    result = run(_report(tmp_path, energy=energy), library=fixture_library)
    assert [i for i in check_inventory(result.inventory) if i.source.sheet == "energy"] == []


# --- ratios to a number close to 0: not computable, never infinite ------------------------


def _strict_json(data: bytes) -> dict:
    def refuse(constant):
        raise AssertionError(f"results.json holds {constant}")

    return json.loads(data, parse_constant=refuse)


def _acme_with(tmp_path, old: str, new: str) -> Path:
    folder = tmp_path / "acme"
    shutil.copytree(EXAMPLE / "acme", folder)
    settings = folder / "settings.csv"
    settings.write_text(settings.read_text().replace(old, new))
    return folder


def test_an_intensity_target_over_a_tiny_net_revenue_is_not_computable(tmp_path):
    """net_revenue 1e-300 with a prior and an intensity target: results.json could not be
    written ("Out of range float values are not JSON compliant: -inf")."""
    inventory = _acme_with(tmp_path, "net_revenue,48000000", "net_revenue,1e-300")
    out = tmp_path / "out"
    outcome = _cli_report(inventory, out, "--prior", str(EXAMPLE / "acme-2024"))
    assert outcome.exit_code == 0, outcome.output
    results = _strict_json((out / "results.json").read_bytes())
    [target] = [t for t in results["targets"] if t["target_id"] == "ALL-INT-2030"]
    assert target["reduction_to_date_pct"] is None and target["achieved_pct"] is None
    where = {(i["code"], i["severity"], json.dumps(i["source"])) for i in results["issues"]}
    assert (
        "implausible-value",
        "warning",
        json.dumps({"file": "settings.csv", "sheet": "settings", "row": 7, "column": "value"}),
    ) in where
    assert (
        "not-computable",
        "warning",
        json.dumps({"file": "targets.csv", "sheet": "targets", "row": 3}),
    ) in where


def test_an_intensity_beyond_any_number_leaves_the_target_unmeasured(tmp_path):
    from lca.pipeline import run
    from lca.report.results import results_bytes

    inventory = _acme_with(tmp_path, "net_revenue,48000000", "net_revenue,1e-320")
    result = run(inventory, priors=(EXAMPLE / "acme-2024",))
    results = _strict_json(results_bytes(result))
    assert [t["target_id"] for t in results["targets"]] == ["S12-ABS-2030"]
    assert _where(result.issues, "not-computable") == [
        ("targets.csv", "targets", 3, "intensity_denominator")
    ]
    from lca.report import years

    assert years.intensity(result)["location_kgco2e_per_unit"] is None


def test_a_change_against_a_prior_figure_close_to_zero_is_not_computable(tmp_path, fixture_library):
    from lca.pipeline import run
    from lca.report.results import results_bytes

    sites = "site_id,name,country,kind\nPAR,Paris,FR,office\n"
    energy = "site_id,carrier,quantity,unit\nPAR,electricity,{},kWh\n"
    prior = write_inventory(
        tmp_path / "2023",
        settings="key,value\norganization,X\nreporting_year,2023\n",
        sites=sites,
        energy=energy.format("1e-307"),
    )
    current = write_inventory(
        tmp_path / "2024",
        settings="key,value\norganization,X\nreporting_year,2024\nbase_year,2023\n",
        sites=sites,
        energy=energy.format("1000"),
    )
    result = run(current, library=fixture_library, priors=(prior,))
    results = _strict_json(results_bytes(result))
    assert results["change_vs_prior"]["pct"]["scope2_location"] is None
    assert results["change_vs_prior"]["kgco2e"]["scope2_location"] > 0
    [issue] = [i for i in result.issues if i.code == "not-computable"]
    assert issue.severity.value == "warning" and issue.source.file == str(prior)
    assert "scope2_location" in issue.message and "% N / N-1 against 2023" in issue.message


def test_a_budget_close_to_zero_has_no_share(tmp_path, fixture_library):
    from lca.pipeline import run
    from lca.report.results import results_bytes

    inventory = _report(tmp_path, budgets="scope,kgco2e,note\nall,1e-320,tiny\n")
    result = run(inventory, library=fixture_library)
    [budget] = _strict_json(results_bytes(result))["budgets"]
    assert budget["used_share"] is None and budget["exceeded"] is True
    assert _where(result.issues, "not-computable") == [("budgets.csv", "budgets", 2, "kgco2e")]


@pytest.mark.parametrize(
    "setting, limit",
    [
        ("recalculation_threshold,1e308", "from 0 to 100"),  # its kgCO2e was infinite
        ("net_revenue,1e308", "from 0 to 1e+30"),
    ],
)
def test_numeric_settings_are_bounded(tmp_path, fixture_library, setting, limit):
    from lca.pipeline import run

    settings = _settings(setting + "\n").replace("net_revenue,12000000\n", "")
    result = run(_report(tmp_path, settings=settings), library=fixture_library)
    [issue] = [i for i in result.issues if i.code == "invalid-setting"]
    assert (issue.source.row, issue.source.column, issue.severity.value) == (4, "value", "error")
    assert limit in issue.message


# --- files of the inventory not read are named in the reconciliation -------------------------


def test_files_not_read_are_named_beside_the_reconciliation(tmp_path):
    """Stray files were reported as issues but the PDF said "Rows read 103 = accounted 103 +
    rejected 0", as if the whole folder had been read."""
    import subprocess

    from openpyxl import load_workbook

    inventory = _report(tmp_path)
    (inventory / "cloud_bills.csv").write_text("provider,amount\naws,10\ngcp,20\n")
    (inventory / "equipment (copy).csv").write_text(
        (inventory / "equipment.csv").read_text(), encoding="utf-8"
    )
    out = tmp_path / "out"
    outcome = _cli_report(inventory, out)
    assert outcome.exit_code == 0, outcome.output
    results = _strict_json((out / "results.json").read_bytes())
    assert results["reconciliation"]["files_not_read"] == [
        {"file": "cloud_bills.csv", "code": "unknown-sheet", "rows": 2},
        {"file": "equipment (copy).csv", "code": "unknown-sheet", "rows": 2},
    ]
    assert results["reconciliation"]["rows_not_read"] == 4
    where = {(i["code"], i["severity"], i["source"]["file"]) for i in results["issues"]}
    assert ("unknown-sheet", "warning", "cloud_bills.csv") in where
    assert ("unknown-sheet", "warning", "equipment (copy).csv") in where
    line = (
        "Files in the inventory not read, and so in none of these counts (4 data rows in all): "
        "cloud_bills.csv (2 data rows; unknown-sheet), equipment (copy).csv (2 data rows; "
        "unknown-sheet)."
    )
    [xlsx] = out.glob("*.xlsx")
    quality = [[c for c in row if c is not None] for row in load_workbook(xlsx)["Quality"].values]
    assert ["cloud_bills.csv", "2 data rows", "unknown-sheet"] in quality
    assert ["equipment (copy).csv", "2 data rows", "unknown-sheet"] in quality
    assert ["all files not read", "4 data rows"] in quality
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    [pdf] = out.glob("*.pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert line in " ".join(text.split())


# --- per-row plausibility of energy, from data ---------------------------------------------------


@pytest.mark.parametrize(
    "quantity, unit, flagged",
    [
        ("1e15", "MWh", True),  # the audit's row: only total-level warnings were given
        ("2e11", "kWh", True),
        ("1e9", "GJ", True),  # 2.8e11 kWh
        ("5e10", "MWh", True),
        ("1e11", "kWh", False),  # 100 TWh: the limit itself
        ("120000", "kWh", False),
    ],
)
def test_an_energy_row_beyond_any_organisation_is_warned_on_its_cell(
    tmp_path, fixture_library, quantity, unit, flagged
):
    from lca.pipeline import run

    energy = f"site_id,carrier,quantity,unit\nPAR-HQ,electricity,{quantity},{unit}\n"
    result = run(_report(tmp_path, energy=energy), library=fixture_library)
    found = _where([i for i in result.issues if i.severity.value == "warning"], "implausible-value")
    assert (("energy.csv", "energy", 2, "quantity") in found) is flagged
    assert result.ok


@pytest.mark.parametrize(
    "carrier, quantity, unit", [("diesel", "2e10", "L"), ("natural_gas", "2e10", "m3")]
)
def test_a_fuel_row_beyond_any_organisation_is_warned_in_its_own_unit(
    tmp_path, fixture_library, carrier, quantity, unit
):
    from lca.pipeline import run

    energy = f"site_id,carrier,quantity,unit\nPAR-HQ,{carrier},{quantity},{unit}\n"
    result = run(_report(tmp_path, energy=energy), library=fixture_library)
    [issue] = [i for i in result.issues if i.code == "implausible-value"]
    assert (issue.source.row, issue.source.column, issue.severity.value) == (
        2,
        "quantity",
        "warning",
    )
    assert "1e+10" in issue.message


def test_plausibility_limits_are_data():
    from lca.validate.plausibility import QUANTITIES, plausible_quantities

    assert QUANTITIES.suffix == ".csv"
    limits = {(p.sheet, p.column, p.unit): p.limit for p in plausible_quantities()}
    assert limits[("energy", "quantity", "kWh")] == 1e11
    assert limits[("refrigerants", "leaked_kg", "")] == 1e7
    assert {p.counts for p in plausible_quantities() if p.sheet == "refrigerants"} == {
        "kg (10,000 t)"
    }
