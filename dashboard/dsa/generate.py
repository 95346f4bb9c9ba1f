"""Seeded generator of synthetic DSA daily dumps in the real layout (Sample data, not real statements).

    python -m dashboard.dsa.generate OUT_FOLDER --days 2025-07-01 2025-07-02 --statements 200000 --seed 7

Writes ``sor-global-<day>-full.zip`` (or ``-light``, or ``.parquet``): a zip of inner zips of CSV parts, with
the real column order, JSON arrays inside CSV cells, and free text holding commas, quotes and line breaks.
Platform shares, categories and rates are invented for testing and benchmarks: the folder gets a
SAMPLE_DATA.txt marker, so whatever is loaded from it is catalogued as synthetic ("Sample data").
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.dsa.layout import FULL_COLUMNS, LIGHT_COLUMNS, SAMPLE_MARKER

# Invented mixes (synthetic): names as they appear in the database, codes from its documented lists.
PLATFORMS = (("Facebook", 14), ("Instagram", 10), ("TikTok", 16), ("YouTube", 8), ("X", 4), ("Pinterest", 3),
             ("LinkedIn", 1), ("Snapchat", 3), ("Google Play", 6), ("Hotel Hideaway", 5), ("Kleinanzeigen", 4),
             ("Discord Netherlands B.V.", 2), ("Wallapop", 3))
CATEGORIES = (("ILLEGAL_OR_HARMFUL_SPEECH", 20), ("SCAMS_AND_FRAUD", 14), ("PROTECTION_OF_MINORS", 8),
              ("RISK_FOR_PUBLIC_SECURITY", 6), ("VIOLENCE", 8), ("PORNOGRAPHY_OR_SEXUALIZED_CONTENT", 10),
              ("INTELLECTUAL_PROPERTY_INFRINGEMENTS", 8), ("SCOPE_OF_PLATFORM_SERVICE", 12),
              ("OTHER_VIOLATION_TC", 10), ("CYBER_VIOLENCE", 2), ("UNSAFE_AND_ILLEGAL_PRODUCTS", 2))
KEYWORDS = {
    "RISK_FOR_PUBLIC_SECURITY": ("TERRORIST_CONTENT", "ILLEGAL_ORGANIZATIONS", "RISK_PUBLIC_HEALTH"),
    "VIOLENCE": ("INCITEMENT_VIOLENCE_HATRED", "COORDINATED_HARM", "HUMAN_TRAFFICKING"),
    "ILLEGAL_OR_HARMFUL_SPEECH": ("HATE_SPEECH", "TERRORIST_CONTENT"),
    "PROTECTION_OF_MINORS": ("AGE_SPECIFIC_RESTRICTIONS_MINORS", "CHILD_SEXUAL_ABUSE_MATERIAL"),
    "SCAMS_AND_FRAUD": ("PHISHING", "INAUTHENTIC_ACCOUNTS"),
}
VISIBILITY = ("CONTENT_REMOVED", "CONTENT_DISABLED", "CONTENT_DEMOTED", "CONTENT_AGE_RESTRICTED",
              "CONTENT_INTERACTION_RESTRICTED", "CONTENT_LABELLED", "OTHER")
CONTENT_TYPES = ("TEXT", "IMAGE", "VIDEO", "AUDIO", "PRODUCT", "SYNTHETIC_MEDIA", "OTHER", "APP")
EU = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
      "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
EEA = tuple(sorted((*EU, "IS", "LI", "NO")))
DECISIONS = (("AUTOMATED_DECISION_FULLY", 55), ("AUTOMATED_DECISION_PARTIALLY", 15),
             ("AUTOMATED_DECISION_NOT_AUTOMATED", 30))
FACTS = ('Synthetic statement (sample data) for testing: "quoted words", commas, and\na second line.',
         "Synthetic statement (sample data): the content broke the terms of service.")


def _pick(rng: np.random.Generator, weighted: tuple[tuple[str, int], ...], n: int) -> np.ndarray:
    names = np.array([w[0] for w in weighted], dtype=object)
    weights = np.array([w[1] for w in weighted], dtype=float)
    return names[rng.choice(len(names), size=n, p=weights / weights.sum())]


def _array(codes: list[str]) -> str:
    return "[" + ",".join(f'"{c}"' for c in codes) + "]"


def statements(rng: np.random.Generator, day: dt.date, n: int, start: int) -> list[dict[str, str]]:
    """``n`` synthetic statements of one day, as the CSV's text cells (full columns)."""
    platforms = _pick(rng, PLATFORMS, n)
    categories = _pick(rng, CATEGORIES, n)
    decisions = _pick(rng, DECISIONS, n)
    seconds = rng.integers(0, 86_400, n)
    draws = rng.random((n, 8))
    rows = []
    for i in range(n):
        category, r = categories[i], draws[i]
        keywords = KEYWORDS.get(category, ())
        chosen = [keywords[int(r[0] * len(keywords))]] if keywords and r[1] < 0.6 else []
        if chosen and r[1] < 0.08:  # a few statements give two keywords
            chosen.append(keywords[(keywords.index(chosen[0]) + 1) % len(keywords)])
        visibility = [] if r[2] < 0.05 else [VISIBILITY[int(r[3] * 3) if r[3] < 0.9 else int(r[3] * 70) % 7]]
        if visibility and r[2] > 0.93:
            visibility.append("CONTENT_LABELLED" if visibility[0] != "CONTENT_LABELLED" else "CONTENT_DEMOTED")
        content = [CONTENT_TYPES[int(r[4] * len(CONTENT_TYPES))]]
        if r[4] > 0.9:
            content.append("IMAGE" if content[0] != "IMAGE" else "TEXT")
        if r[5] < 0.6:
            scope = EEA
        elif r[5] < 0.75:
            scope = EU
        elif r[5] < 0.95:
            scope = (("DE", "FR", "IT", "PL", "ES", "NL")[int(r[6] * 6)],)
        else:
            scope = ("AT", "DE", "LU")
        automated = decisions[i]
        created = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=int(seconds[i]))
        rows.append({
            "uuid": f"00000000-5a4d-4000-8000-{start + i:012d}",
            "decision_visibility": _array(["DECISION_VISIBILITY_" + v for v in visibility]) if visibility else "",
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT" if r[7] < 0.1 else
                               "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "incompatible_content_ground": "Terms of service, section 3, paragraph 2",
            "incompatible_content_explanation": FACTS[int(r[6] * 2)],
            "category": "STATEMENT_CATEGORY_" + category,
            "category_specification": _array(["KEYWORD_" + k for k in chosen]) if chosen else "",
            "content_type": _array(["CONTENT_TYPE_" + c for c in content]),
            "content_date": f"{day.isoformat()} 00:00:00",
            "territorial_scope": _array(list(scope)),
            "application_date": f"{day.isoformat()} 00:00:00",
            "decision_facts": FACTS[int(r[7] * 2)],
            "source_type": "SOURCE_VOLUNTARY" if r[6] < 0.8 else "SOURCE_ARTICLE_16",
            "automated_detection": "Yes" if automated != "AUTOMATED_DECISION_NOT_AUTOMATED" or r[0] < 0.5 else "No",
            "automated_decision": automated,
            "platform_name": platforms[i],
            "platform_uid": f"synthetic-{start + i}",
            "created_at": created.strftime("%Y-%m-%d %H:%M:%S"),
        })
    return rows


def write_zip_dump(folder: Path, day: dt.date, n: int, *, seed: int, variant: str = "full",
                   per_part: int = 100_000, parts_per_zip: int = 10) -> Path:
    """One day's zip of zips; inner zips of ``parts_per_zip`` CSV parts of ``per_part`` statements."""
    columns = FULL_COLUMNS if variant == "full" else LIGHT_COLUMNS
    stem = f"sor-global-{day.isoformat()}-{variant}"
    rng = np.random.default_rng(seed)
    path = folder / f"{stem}.zip"
    per_zip = per_part * parts_per_zip
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer, tempfile.TemporaryDirectory() as tmp:
        for z, first in enumerate(range(0, n, per_zip)):
            inner_path = Path(tmp) / f"{stem}-{z:05d}.csv.zip"
            with zipfile.ZipFile(inner_path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as inner:
                for p, part_first in enumerate(range(first, min(n, first + per_zip), per_part)):
                    count = min(per_part, n - part_first)
                    with inner.open(f"{stem}-{z:05d}-{p:05d}.csv", "w") as raw, \
                            io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                        writer = csv.DictWriter(text, fieldnames=columns, extrasaction="ignore",
                                                quoting=csv.QUOTE_MINIMAL)
                        writer.writeheader()
                        writer.writerows(statements(rng, day, count, part_first))
            outer.write(inner_path, inner_path.name)
            inner_path.unlink()
    return path


def write_parquet_dump(folder: Path, day: dt.date, n: int, *, seed: int, batch: int = 100_000) -> Path:
    """The full dump as one Parquet file (text columns, as in the CSV)."""
    rng = np.random.default_rng(seed)
    path = folder / f"sor-global-{day.isoformat()}-full.parquet"
    schema = pa.schema([(c, pa.string()) for c in FULL_COLUMNS])
    with pq.ParquetWriter(path, schema) as writer:
        for first in range(0, n, batch):
            rows = statements(rng, day, min(batch, n - first), first)
            writer.write_table(pa.Table.from_pylist([{c: r.get(c, "") or None for c in FULL_COLUMNS}
                                                     for r in rows], schema=schema))
    return path


def corrupt_inner_zip(path: Path, member_index: int = 0) -> str:
    """Damage one inner zip of a dump (bytes in the middle of its data overwritten); returns its name."""
    with zipfile.ZipFile(path) as outer:
        names = outer.namelist()
        payloads = {name: outer.read(name) for name in names}
    victim = names[member_index]
    data = bytearray(payloads[victim])
    middle = len(data) // 2
    data[middle:middle + 64] = b"\x00" * 64
    payloads[victim] = bytes(data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        for name in names:
            outer.writestr(name, payloads[name])
    return victim


def mark_sample(folder: Path) -> None:
    (folder / SAMPLE_MARKER).write_text(
        "Sample data: synthetic EU DSA statements of reasons written by dashboard.dsa.generate (seeded). "
        "Not real statements.\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--days", nargs="+", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--statements", type=int, default=200_000, help="statements per day")
    parser.add_argument("--variant", choices=("full", "light", "parquet"), default="full")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-part", type=int, default=100_000)
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    mark_sample(args.folder)
    for offset, day in enumerate(args.days):
        if args.variant == "parquet":
            path = write_parquet_dump(args.folder, day, args.statements, seed=args.seed + offset)
        else:
            path = write_zip_dump(args.folder, day, args.statements, seed=args.seed + offset, variant=args.variant,
                                  per_part=args.per_part)
        print(f"{path.name}: {args.statements:,} synthetic statements")


if __name__ == "__main__":
    main()


def pack_csv(folder: Path, day: dt.date, csv_bytes: bytes, variant: str = "full") -> Path:
    """An existing statements CSV packed in the daily-dump layout (one inner zip, one part)."""
    stem = f"sor-global-{day.isoformat()}-{variant}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as inner:
        inner.writestr(f"{stem}-00000-00000.csv", csv_bytes)
    path = folder / f"{stem}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as outer:
        outer.writestr(f"{stem}-00000.csv.zip", buffer.getvalue())
    return path
