"""A seeded synthetic ACLED event export (the 31-column layout) of any size, for the ingest benchmark.

Every row is invented ("test row" in the notes); nothing comes from ACLED. Cardinalities follow a
Pakistan export: 7 provinces, ~140 districts, ~4,000 locations, ~200 actors, 6 event types.
Run: python -m benchmarks.acled_synthetic 1000000 /tmp/acled_1m.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
PROVINCES = ("Khyber Pakhtunkhwa", "Balochistan", "Sindh", "Punjab", "Islamabad Capital Territory",
             "Azad Kashmir", "Gilgit-Baltistan")
PROVINCE_WEIGHTS = (0.45, 0.25, 0.12, 0.1, 0.02, 0.03, 0.03)
EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Remote explosive/landmine/IED", "Suicide bomb", "Air/drone strike",
                                   "Shelling/artillery/missile attack", "Grenade"),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Arrests", "Disrupted weapons use", "Looting/property destruction", "Other"),
}
ARMED = ("Tehrik-i-Taliban Pakistan (TTP)", "Islamic State (Pakistan)", "BLA: Baloch Liberation Army",
         "BLF: Balochistan Liberation Front", "Lashkar-e-Jhangvi", "Unidentified Armed Group (Pakistan)",
         "Hafiz Gul Bahadur Group", "Jamaat-ul-Ahrar", "Lashkar-e-Islam")


def _choice(rng: np.random.Generator, values, n: int, p=None) -> pa.Array:
    """n picks from values as a dictionary-decoded Arrow string array (fast for millions of rows)."""
    values = list(values)
    index = rng.choice(len(values), size=n, p=p)
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), pa.array(values, pa.string())).cast(pa.string())


def table(rows: int, seed: int = 7) -> pa.Table:
    """The synthetic export as an Arrow table of text columns, in ACLED's column order."""
    rng = np.random.default_rng(seed)
    days = rng.integers(0, 7 * 365, size=rows)
    dates = np.datetime64("2018-01-01") + days.astype("timedelta64[D]")
    date_text = pa.array(dates.astype("datetime64[D]")).cast(pa.string())
    event_types = list(EVENT_TYPES)
    pairs = [(t, s) for t in event_types for s in EVENT_TYPES[t]]
    pick = rng.integers(0, len(pairs), size=rows)
    actors = list(ARMED) + [f"Military Forces of Pakistan ({y}-)" for y in (2013, 2018, 2022)] + \
        [f"Police Forces of Pakistan ({y}-)" for y in (2013, 2018, 2022)] + \
        [f"Protesters (Pakistan) {i}" for i in range(60)] + [f"Rioters (Pakistan) {i}" for i in range(40)] + \
        [f"Unidentified Communal Militia {i} (Pakistan)" for i in range(80)]
    actor_types = ([3] * len(ARMED) + [1] * 6 + [6] * 60 + [5] * 40 + [4] * 80)
    a1 = rng.integers(0, len(actors), size=rows)
    a2 = rng.integers(0, len(actors), size=rows)
    none2 = rng.random(rows) < 0.3
    inter1 = np.array(actor_types)[a1]
    inter2 = np.where(none2, 0, np.array(actor_types)[a2])
    province = rng.choice(len(PROVINCES), size=rows, p=PROVINCE_WEIGHTS)
    district = province * 20 + rng.integers(0, 20, size=rows)
    location = district * 30 + rng.integers(0, 30, size=rows)
    notes_templates = [f"test row: invented event of template {i}; " + "synthetic text for the benchmark " * (2 + i % 5)
                       for i in range(300)]
    ids = np.arange(1, rows + 1)
    columns = {
        "event_id_cnty": pa.compute.binary_join_element_wise("PAK", pa.array(ids).cast(pa.string()), ""),
        "event_date": date_text,
        "year": pa.array(dates.astype("datetime64[Y]").astype(int) + 1970).cast(pa.string()),
        "time_precision": pa.array(rng.choice([1, 1, 1, 2, 3], size=rows)).cast(pa.string()),
        "disorder_type": _choice(rng, ("Political violence", "Demonstrations", "Strategic developments"), rows),
        "event_type": pa.array([pairs[i][0] for i in range(len(pairs))], pa.string()).take(pa.array(pick)),
        "sub_event_type": pa.array([pairs[i][1] for i in range(len(pairs))], pa.string()).take(pa.array(pick)),
        "actor1": pa.array(actors, pa.string()).take(pa.array(a1)),
        "assoc_actor_1": _choice(rng, ("", "", "", "Civilians (Pakistan)", "Labourers (Pakistan)"), rows),
        "inter1": pa.array(inter1).cast(pa.string()),
        "actor2": pa.array([*actors, ""], pa.string()).take(pa.array(np.where(none2, len(actors), a2))),
        "assoc_actor_2": _choice(rng, ("", "", "Civilians (Pakistan)"), rows),
        "inter2": pa.array(inter2).cast(pa.string()),
        "interaction": pa.array(inter1 * 10 + inter2).cast(pa.string()),
        "civilian_targeting": _choice(rng, ("", "", "", "Civilian targeting"), rows),
        "iso": pa.array(np.full(rows, 586)).cast(pa.string()),
        "region": _choice(rng, ("Southern Asia",), rows),
        "country": _choice(rng, ("Pakistan",), rows),
        "admin1": pa.array(PROVINCES, pa.string()).take(pa.array(province)),
        "admin2": pa.array([f"District {i}" for i in range(len(PROVINCES) * 20)], pa.string()).take(pa.array(district)),
        "admin3": _choice(rng, [f"Tehsil {i}" for i in range(400)], rows),
        "location": pa.array([f"Place {i}" for i in range(len(PROVINCES) * 600)], pa.string()).take(pa.array(location)),
        "latitude": pa.array(np.round(24 + rng.random(rows) * 12, 4)).cast(pa.string()),
        "longitude": pa.array(np.round(61 + rng.random(rows) * 14, 4)).cast(pa.string()),
        "geo_precision": pa.array(rng.choice([1, 2, 3], size=rows)).cast(pa.string()),
        "source": _choice(rng, [f"Newspaper {i}" for i in range(50)], rows),
        "source_scale": _choice(rng, ("National", "Subnational", "Local partner-Other", "New media"), rows),
        "notes": pa.array(notes_templates, pa.string()).take(pa.array(rng.integers(0, 300, size=rows))),
        "fatalities": pa.array(rng.poisson(0.8, size=rows)).cast(pa.string()),
        "tags": _choice(rng, ("", "", "crowd size=no report"), rows),
        "timestamp": pa.array(1_700_000_000 + rng.integers(0, 30_000_000, size=rows)).cast(pa.string()),
    }
    return pa.table({name: columns[name] for name in HEADER})


def write(rows: int, path: Path, seed: int = 7) -> Path:
    """Write the export as CSV (UTF-8, comma-separated, quoted where needed)."""
    pa_csv.write_csv(table(rows, seed), path, pa_csv.WriteOptions(quoting_style="needed"))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.rows, args.path, args.seed)
    print(f"{args.path}: {args.rows:,} rows, {args.path.stat().st_size / 2**20:,.0f} MB")


if __name__ == "__main__":
    main()
