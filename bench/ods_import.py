"""ODS import benchmark (not a test): a synthetic national-size epraccur file on PostgreSQL.

    python -m bench.ods_import [--database golive_bench_ods] [--rows 14300] [--active 6900]

Writes a file in the published format (no header, 27 quoted columns) the size of the national one: 42 ICBs,
106 sub-ICB locations in 7 regions, about 6,900 open GP practices, closed and dormant ones, non-GP prescribing
organisations and Channel Islands rows; and a supplier CSV for every open practice. Then times, on a freshly
created database (dropped first, so give it a database of your own):
  1. the first import (every practice created), with the supplier file;
  2. the same files again (nothing changes);
  3. a later file: 300 renamed, 100 closed, 50 moved to another sub-ICB location, 200 changed suppliers.
"""

import argparse
import csv
import io
import os
import random
import time

import psycopg2

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432")
REGIONS = ["Y56", "Y58", "Y59", "Y60", "Y61", "Y62", "Y63"]
WORDS = ["PARK", "HILL", "RIVER", "GREEN", "MILL", "BRIDGE", "CHURCH", "STATION", "VALLEY", "ABBEY", "OAK", "ELM"]
KINDS = ["SURGERY", "MEDICAL CENTRE", "HEALTH CENTRE", "MEDICAL PRACTICE", "FAMILY PRACTICE", "GROUP PRACTICE"]
NON_GP_SETTINGS = [0, 1, 2, 8, 9, 10, 13, 14, 16, 25]


def recreate_database(name: str) -> None:
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def national_file(rows: int, active: int, seed: int = 12) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """Synthetic epraccur rows and (ODS code, supplier) pairs, deterministic for a seed."""
    rng = random.Random(seed)
    icbs = [f"Q{chr(65 + n // 26)}{chr(65 + n % 26)}" for n in range(42)]
    icb_region = {icb: REGIONS[n % len(REGIONS)] for n, icb in enumerate(icbs)}
    places = [(f"{n // 26:02d}{chr(65 + n % 26)}", icbs[n % len(icbs)]) for n in range(106)]
    closed = int(active * 0.34)
    dormant = 40
    channel_islands = 30
    non_gp = rows - active - closed - dormant - channel_islands
    kinds = ["A"] * active + ["C"] * closed + ["D"] * dormant
    out, suppliers = [], []
    for number, status in enumerate(kinds, start=1):
        code = f"{chr(65 + number % 16)}{number:05d}"
        place, icb = places[number % len(places)]
        opened = f"{rng.randint(1974, 2015)}0401"
        closed_on = f"{rng.randint(2016, 2022)}0331" if status == "C" else ""
        name = f"{rng.choice(['THE ', '', ''])}{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(KINDS)}"
        out.append(_row(code, name, icb_region[icb], icb, place, opened, closed_on, status, 4, rng))
        if status == "A":
            suppliers.append((code, rng.choice(["EMIS", "TPP"])))
    for index in range(non_gp):
        place, icb = places[index % len(places)]
        setting = NON_GP_SETTINGS[index % len(NON_GP_SETTINGS)]
        out.append(
            _row(
                f"Y{60000 + index:05d}",
                "COMMUNITY SERVICE",
                icb_region[icb],
                icb,
                place,
                "20100401",
                "",
                "A",
                setting,
                rng,
            )
        )
    for index in range(channel_islands):
        prefix = ["JER", "GUE", "ALD"][index % 3]
        out.append(_row(f"{prefix}{index:03d}", "ISLAND PRACTICE", "", "YAE", "", "19900101", "", "A", 0, rng))
    return out, suppliers


def _row(code, name, region, icb, place, opened, closed_on, status, setting, rng) -> list[str]:
    postcode = f"{rng.choice(['TS', 'B', 'LS', 'M', 'NE'])}{rng.randint(1, 29)} {rng.randint(1, 9)}AB"
    return [
        code, name, region, icb, "ADDRESS 1", "ADDRESS 2", "TOWN", "", "", postcode, opened, closed_on, status,
        "B", place, "20130401" if place else "", closed_on, "01234 567890", "", "", "", "0", "", place, "",
        str(setting), "",
    ]  # fmt: skip


def epraccur_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def supplier_bytes(pairs: list[tuple[str, str]]) -> bytes:
    return ("ODSCode,Supplier\n" + "".join(f"{code},{supplier}\n" for code, supplier in pairs)).encode()


def later_file(rows: list[list[str]], pairs: list[tuple[str, str]], seed: int = 13):
    """The same country a month later: renames, closures, moves and changed suppliers."""
    rng = random.Random(seed)
    rows = [list(row) for row in rows]
    open_gp = [row for row in rows if row[25] == "4" and row[12] == "A"]
    picked = rng.sample(open_gp, 450)
    for row in picked[:300]:
        row[1] = row[1] + " NEW"
    for row in picked[300:400]:
        row[11], row[12], row[16] = "20261031", "C", "20261031"
    places = sorted({(row[14], row[3]) for row in open_gp})
    for row in picked[400:]:
        row[14], row[3] = rng.choice([p for p in places if p[0] != row[14]])
        row[15] = "20261101"
    pairs = list(pairs)
    for index in rng.sample(range(len(pairs)), 200):
        code, supplier = pairs[index]
        pairs[index] = (code, "TPP" if supplier == "EMIS" else "EMIS")
    return rows, pairs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="golive_bench_ods", help="dropped and created afresh")
    parser.add_argument("--rows", type=int, default=14_300)
    parser.add_argument("--active", type=int, default=6_900)
    args = parser.parse_args()

    recreate_database(args.database)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="golive.settings.local",
        DEBUG="false",
        DATABASE_URL=f"{SERVER}/{args.database}",
        REDIS_URL="",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from practices.ods_import import ods_import

    call_command("migrate", verbosity=0)
    rows, pairs = national_file(args.rows, args.active)
    later_rows, later_pairs = later_file(rows, pairs)
    files = {
        "first import (all new)": (epraccur_bytes(rows), supplier_bytes(pairs)),
        "same files again (no change)": (epraccur_bytes(rows), supplier_bytes(pairs)),
        "a month later (450 practice changes, 200 suppliers)": (
            epraccur_bytes(later_rows),
            supplier_bytes(later_pairs),
        ),
    }
    print(f"Synthetic national file: {len(rows)} rows, {len(files['first import (all new)'][0]) / 1e6:.1f} MB; "
          f"supplier file: {len(pairs)} rows")  # fmt: skip
    for label, (epraccur, suppliers) in files.items():
        started = time.perf_counter()
        summary = ods_import(
            epraccur=epraccur, suppliers=suppliers, actor=None, source="bench", today=timezone.localdate()
        )
        elapsed = time.perf_counter() - started
        print(
            f"{label}: {elapsed:.1f} s — created {summary.created}, updated {summary.updated}, "
            f"unchanged {summary.unchanged}, skipped {sum(summary.skipped.values())}, "
            f"suppliers set {summary.suppliers_set}"
        )


if __name__ == "__main__":
    main()
