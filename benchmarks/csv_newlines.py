"""Why the billing import parses CSV with ``newlines_in_values``: random small CSVs whose
quoted values hold commas, quotes and line breaks, each read by pyarrow with the option and
without, in small blocks (threads on and off). Prints how many give the same table, how many
are refused without it (or with it too), and how many are read without it where it refuses
them or read as another table, without an error.

    python benchmarks/csv_newlines.py [--files 4000] [--seed 1]
"""

from __future__ import annotations

import argparse
import io
import random

import pyarrow as pa
import pyarrow.csv as pacsv

PIECES = ["a", "b", ",", "\n", "\r\n", '"', "x,y", "1", " ", '""']


def value(rnd: random.Random) -> str:
    """A plain value, or a quoted one (its quotes doubled)."""
    if rnd.random() < 0.5:
        return "".join(rnd.choice("a1z ") for _ in range(rnd.randint(0, 4)))
    inner = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 6)))
    return '"' + inner.replace('"', '""') + '"'


def read(data: bytes, columns: int, block: int, threads: bool, newlines: bool):
    """The table pyarrow reads, or None where it refuses the file."""
    try:
        return pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(block_size=block, use_threads=threads),
            parse_options=pacsv.ParseOptions(newlines_in_values=newlines),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(columns)}
            ),
        )
    except pa.ArrowInvalid:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    outcomes = ("same", "refused without", "refused both", "read only without", "other table")
    counts = dict.fromkeys(outcomes, 0)
    for _ in range(args.files):
        columns = rnd.randint(1, 4)
        rows = [",".join(f"c{i}" for i in range(columns))]
        rows += [",".join(value(rnd) for _ in range(columns)) for _ in range(rnd.randint(1, 60))]
        data = ("\n".join(rows) + rnd.choice(["\n", ""])).encode()
        block, threads = rnd.choice([16, 32, 64, 100, 257, 1024]), rnd.random() < 0.5
        with_option = read(data, columns, block, threads, True)
        without = read(data, columns, block, threads, False)
        if without is None:
            counts["refused both" if with_option is None else "refused without"] += 1
        elif with_option is None:
            counts["read only without"] += 1
        else:
            counts["same" if without.equals(with_option) else "other table"] += 1
    print(", ".join(f"{name}: {count:,}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
