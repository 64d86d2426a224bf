"""BoaviztAPI's impacts of the devices of an lca equipment sheet, for benchmarks/bench_peers.py.

Run by it with the Python of ``benchmarks/out/peers/boavizta-venv`` (boaviztapi 2.5.0):

    python boavizta_impacts.py equipment.csv sites.csv OUT.json [--verbose]

Each row of ``equipment.csv`` is one device (quantity 1); it goes through the function behind
BoaviztAPI's endpoint for its category, as the HTTP API would call it without the HTTP layer
(``user_terminal_impact`` of ``POST /v1/terminal/{laptop,desktop,smartphone}`` and ``POST
/v1/peripheral/monitor``; ``mapper_server`` + ``server_impact`` of ``POST /v1/server/``), on
the category's default archetype with the row's usage: ``avg_power`` = ``power_w``,
``use_time_ratio`` 1, ``hours_life_time`` = ``lifetime_years`` × 8760, ``usage_location`` the
site's country, and ``duration`` 8760 h (one reporting year). Criteria gwp, adp (ADPe) and pe.
The CSV files are read with the standard library's csv module. Writes the timings and the
summed embedded and use impacts to OUT.json.
"""

import asyncio
import csv
import json
import sys
import time

START = time.perf_counter()

from boaviztapi.data.archetype import get_server_archetype  # noqa: E402
from boaviztapi.dto.device.device import Server, mapper_server  # noqa: E402
from boaviztapi.dto.device.user_terminal import Desktop, Laptop, Monitor, Smartphone  # noqa: E402
from boaviztapi.dto.usage.usage import Usage, UsageServer  # noqa: E402
from boaviztapi.routers.server_router import server_impact  # noqa: E402
from boaviztapi.routers.terminal_router import user_terminal_impact  # noqa: E402

CRITERIA = ["gwp", "adp", "pe"]
YEAR_HOURS = 8760
TERMINALS = {  # lca category → (BoaviztAPI DTO, the endpoint's default archetype)
    "laptop": (Laptop, "laptop-pro"),
    "desktop": (Desktop, "desktop-pro"),
    "smartphone": (Smartphone, "smartphone-default"),
    "monitor": (Monitor, "monitor-default"),
}
SERVER_ARCHETYPE = "platform_compute_medium"
COUNTRIES = {"FR": "FRA", "DE": "DEU", "IE": "IRL"}  # ISO 3166 alpha-2 → BoaviztAPI's alpha-3


async def impacts(devices: list[dict], locations: dict, verbose: bool) -> list[dict]:
    """The API's answer for each device."""
    out = []
    for device in devices:
        usage = {
            "avg_power": float(device["power_w"]),
            "use_time_ratio": 1.0,
            "hours_life_time": float(device["lifetime_years"]) * YEAR_HOURS,
            "usage_location": locations[device["site_id"]],
        }
        if device["category"] == "server":
            model = mapper_server(
                Server(usage=UsageServer(**usage)),
                archetype=get_server_archetype(SERVER_ARCHETYPE),
            )
            answer = await server_impact(
                device=model, verbose=verbose, duration=YEAR_HOURS, criteria=CRITERIA
            )
        else:
            dto, archetype = TERMINALS[device["category"]]
            answer = await user_terminal_impact(
                user_terminal_dto=dto(usage=Usage(**usage)),
                archetype=archetype,
                verbose=verbose,
                duration=YEAR_HOURS,
                criteria=CRITERIA,
            )
        out.append(answer["impacts"])
    return out


def main() -> None:
    equipment, sites, out_path = sys.argv[1:4]
    verbose = "--verbose" in sys.argv[4:]
    imports = time.perf_counter() - START
    start = time.perf_counter()
    with open(sites, newline="") as f:
        locations = {row["site_id"]: COUNTRIES[row["country"]] for row in csv.DictReader(f)}
    with open(equipment, newline="") as f:
        devices = list(csv.DictReader(f))
    answers = asyncio.run(impacts(devices, locations, verbose))
    seconds = time.perf_counter() - start
    totals = {f"{c}_{phase}": 0.0 for c in CRITERIA for phase in ("embedded", "use")}
    for answer in answers:
        for criterion in CRITERIA:
            for phase in ("embedded", "use"):
                value = answer[criterion][phase]
                if isinstance(value, dict):  # else "not implemented"
                    totals[f"{criterion}_{phase}"] += value["value"]
    summary = {"devices": len(answers), "imports_seconds": imports, "impacts_seconds": seconds}
    summary.update(totals)
    with open(out_path, "w") as f:
        json.dump(summary, f)


if __name__ == "__main__":
    main()
