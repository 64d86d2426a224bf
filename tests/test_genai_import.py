"""``lca import openai-usage|anthropic-usage|genai-csv``: usage exports in the providers'
documented shapes → genai_usage rows naming their source file and row; malformed files."""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

from lca.cli import main
from lca.errors import InputFileError
from lca.importers import ImportOptions, registry, write_sheets
from lca.pipeline import run

#: OpenAI Completions Usage API page (GET /v1/organization/usage/completions,
#: group_by=model,project_id; bucket_width=1d): two daily buckets.
OPENAI_PAGE = {
    "object": "page",
    "has_more": False,
    "next_page": None,
    "data": [
        {
            "object": "bucket",
            "start_time": 1735689600,
            "end_time": 1735776000,
            "results": [
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": 1000,
                    "output_tokens": 500,
                    "input_cached_tokens": 800,
                    "input_audio_tokens": 0,
                    "output_audio_tokens": 0,
                    "num_model_requests": 5,
                    "project_id": "proj_chat",
                    "user_id": None,
                    "api_key_id": None,
                    "model": "gpt-4o-mini-2024-07-18",
                    "batch": None,
                },
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": 20,
                    "output_tokens": 70,
                    "num_model_requests": 1,
                    "project_id": "proj_chat",
                    "model": "gpt-4o-2024-08-06",
                    "batch": None,
                },
            ],
        },
        {
            "object": "bucket",
            "start_time": 1735776000,
            "end_time": 1735862400,
            "results": [
                {
                    "object": "organization.usage.completions.result",
                    "input_tokens": 300,
                    "output_tokens": 900,
                    "num_model_requests": 3,
                    "project_id": None,
                    "model": None,
                    "batch": None,
                }
            ],
        },
    ],
}
#: Anthropic Messages Usage Report (GET /v1/organizations/usage_report/messages,
#: group_by[]=model&group_by[]=workspace_id): cache creation nested as documented.
ANTHROPIC_REPORT = {
    "data": [
        {
            "starting_at": "2025-08-01T00:00:00Z",
            "ending_at": "2025-08-02T00:00:00Z",
            "results": [
                {
                    "uncached_input_tokens": 1500,
                    "cache_creation": {
                        "ephemeral_1h_input_tokens": 1000,
                        "ephemeral_5m_input_tokens": 500,
                    },
                    "cache_read_input_tokens": 200,
                    "output_tokens": 500,
                    "server_tool_use": {"web_search_requests": 10},
                    "api_key_id": None,
                    "workspace_id": "wrkspc_research",
                    "model": "claude-sonnet-4-5-20250929",
                    "service_tier": "standard",
                    "context_window": "0-200k",
                }
            ],
        }
    ],
    "has_more": False,
    "next_page": None,
}


def _import(source, path):
    return registry()[source](path, ImportOptions())


def _json(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_openai_usage_page(tmp_path):
    rows = _import("openai-usage", _json(tmp_path, "usage.json", OPENAI_PAGE)).sheets["genai_usage"]
    columns = ["model", "requests", "output_tokens", "input_tokens", "project"]
    assert rows[columns].fillna("").values.tolist() == [
        ["gpt-4o-mini-2024-07-18", 5, 500, 1000, "proj_chat"],
        ["gpt-4o-2024-08-06", 1, 70, 20, "proj_chat"],
        ["", 3, 900, 300, ""],
    ]
    assert list(rows["period_start"]) == ["2025-01-01", "2025-01-01", "2025-01-02"]
    assert list(rows["period_end"]) == ["2025-01-01", "2025-01-01", "2025-01-02"]
    assert list(rows["source_file"]) == ["usage.json"] * 3
    assert list(rows["source_row"]) == [1, 2, 3]
    assert set(rows["provider"]) == {"openai"}


def test_openai_usage_csv_and_engine(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text(
        textwrap.dedent("""\
        start_time,end_time,project_id,num_model_requests,model,input_tokens,output_tokens
        1735689600,1735776000,proj_a,5,gpt-4o-mini,1000,500
        1735689600,1735776000,proj_a,two,gpt-4o,10,20
        """),
        encoding="utf-8",
    )
    imported = _import("openai-usage", path)
    assert list(imported.sheets["genai_usage"]["source_row"]) == [2, 3]
    folder = tmp_path / "inventory"
    write_sheets(imported, folder)
    (folder / "settings.csv").write_text("key,value\norganization,T\nreporting_year,2025\n")
    result = run(folder)
    bad = [i for i in result.issues if i.code == "invalid-number"]
    assert [(i.source.row, i.source.column) for i in bad] == [(3, "requests")]
    assert set(result.ledger["row"]) == {2}  # the readable row; the other named, not lost


def test_anthropic_report_sums_input_and_leaves_requests_blank(tmp_path):
    imported = _import("anthropic-usage", _json(tmp_path, "report.json", ANTHROPIC_REPORT))
    rows = imported.sheets["genai_usage"]
    assert rows["input_tokens"].tolist() == [1500 + 1000 + 500 + 200]
    assert rows["output_tokens"].tolist() == [500]
    assert rows["requests"].isna().all()
    assert rows[["provider", "model", "project", "period_start", "period_end"]].values.tolist() == [
        ["anthropic", "claude-sonnet-4-5-20250929", "wrkspc_research", "2025-08-01", "2025-08-01"]
    ]
    assert any("requests left blank" in note for note in imported.notes)


def test_plain_table_spellings(tmp_path):
    path = tmp_path / "ai.csv"
    path.write_text(
        "Provider,Model,Calls,Completion Tokens,Prompt Tokens,Team\n"
        "mistral,mistral-large-2512,40,8000,1200,support\n",
        encoding="utf-8",
    )
    rows = _import("genai-csv", path).sheets["genai_usage"]
    assert rows[
        ["provider", "model", "requests", "output_tokens", "input_tokens", "project", "source_row"]
    ].values.tolist() == [["mistral", "mistral-large-2512", 40, 8000, 1200, "support", 2]]


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "cannot be read as JSON"),
        ('{"object": "list", "items": []}', "not a usage report"),
        ('{"data": [{"start_time": 1}]}', "without a 'results' list"),
        ('{"data": [{"results": [{"model": "gpt-4o"}]}]}', "no column output_tokens"),
    ],
)
def test_malformed_openai_json(tmp_path, text, message):
    path = tmp_path / "usage.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        _import("openai-usage", path)


def test_cli_import_genai(tmp_path):
    source = _json(tmp_path, "usage.json", OPENAI_PAGE)
    out = CliRunner().invoke(
        main, ["import", "openai-usage", str(source), "--out", str(tmp_path / "out")]
    )
    assert out.exit_code == 0, out.output
    written = pd.read_csv(tmp_path / "out" / "genai_usage.csv")
    assert list(written["source_row"]) == [1, 2, 3]
    bad = CliRunner().invoke(
        main, ["import", "anthropic-usage", str(source), "--out", str(tmp_path / "bad")]
    )
    assert bad.exit_code == 2 and "not an Anthropic messages usage report" in bad.output


def test_year_keeps_the_rows_of_that_year(tmp_path):
    path = _json(tmp_path, "usage.json", OPENAI_PAGE)
    imported = registry()["openai-usage"](path, ImportOptions(year=2024))
    assert imported.sheets["genai_usage"].empty
    assert any("kept the 0 row(s) of 2024; 3 of other years" in n for n in imported.notes)
