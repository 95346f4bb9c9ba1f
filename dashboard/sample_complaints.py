"""Seeded generator of the SAMPLE complaints log (synthetic: no public complaint log exists).

Calibration: per-platform compliance follows PTA's published rates for Jan 2021-Jun 2024
(TikTok 97.85%, Instagram 85.60%, Facebook 84.88%, X 59.70%; published_figures rows
pta-*-compliance-rate-2021-2024h1). WhatsApp, YouTube and Telegram have no published rate: their
rates and every time-to-action distribution are invented for illustration only.

Run ``python -m dashboard.sample_complaints`` to rewrite data/sample/complaints_sample.csv; the
same seed gives the same bytes (a test checks it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from dataclasses import dataclass

from dashboard.db import ROOT

SEED = 20250708
OUTPUT = ROOT / "data" / "sample" / "complaints_sample.csv"
START = dt.datetime(2023, 1, 1)
END = dt.datetime(2025, 12, 31, 23, 59, 59)
# Complaints submitted per year grow, as escalations did.
PER_YEAR = {2023: 1400, 2024: 1900, 2025: 2300}


@dataclass(frozen=True)
class PlatformProfile:
    share: float  # share of complaints
    compliance: float  # removed or geo-blocked, among decided complaints
    median_hours: float  # time to action (lognormal)
    spread: float  # lognormal sigma
    never_answered: float  # share still pending long after submission


PROFILES = {
    "Facebook": PlatformProfile(0.24, 0.8488, 40, 0.9, 0.01),
    "TikTok": PlatformProfile(0.22, 0.9785, 18, 0.8, 0.005),
    "X": PlatformProfile(0.14, 0.5970, 110, 1.1, 0.06),
    "YouTube": PlatformProfile(0.14, 0.82, 50, 0.9, 0.01),
    "Instagram": PlatformProfile(0.12, 0.8560, 42, 0.9, 0.01),
    "WhatsApp": PlatformProfile(0.07, 0.55, 90, 1.0, 0.04),
    "Telegram": PlatformProfile(0.07, 0.35, 200, 1.2, 0.15),
}
CATEGORIES = {
    "Terrorist propaganda": 0.34, "Glorification of attacks": 0.2, "Incitement to violence": 0.18,
    "Recruitment": 0.12, "Sectarian hate": 0.1, "Financing appeals": 0.06,
}
GROUPS = {
    "TTP": 0.38, "BLA": 0.16, "ISKP": 0.12, "BLF": 0.06, "LeJ": 0.05, "Jamaat-ul-Ahrar": 0.04, "": 0.19,
}
REGIONS = {
    "Khyber Pakhtunkhwa": 0.36, "Balochistan": 0.24, "Punjab": 0.14, "Sindh": 0.1,
    "Islamabad Capital Territory": 0.04, "ex-FATA": 0.04, "": 0.08,
}
COLUMNS = ["complaint_id", "platform", "category", "group", "region", "submitted_at", "resolved_at",
           "outcome", "items"]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def generate(seed: int = SEED) -> list[dict[str, str]]:
    """The sample rows, deterministic for a seed."""
    rng = random.Random(seed)
    platform_weights = {name: p.share for name, p in PROFILES.items()}
    rows = []
    for year, count in PER_YEAR.items():
        year_start = dt.datetime(year, 1, 1)
        seconds = (dt.datetime(year + 1, 1, 1) - year_start).total_seconds()
        for _ in range(count):
            submitted = year_start + dt.timedelta(seconds=int(rng.random() * seconds))
            platform = _pick(rng, platform_weights)
            profile = PROFILES[platform]
            hours = math.exp(rng.gauss(math.log(profile.median_hours), profile.spread))
            resolved = submitted + dt.timedelta(hours=hours)
            if rng.random() < profile.never_answered or resolved > END:
                outcome, resolved_text = "pending", ""
            else:
                complied = rng.random() < profile.compliance
                outcome = ("geo_blocked" if rng.random() < 0.3 else "removed") if complied else "rejected"
                resolved_text = resolved.strftime("%Y-%m-%d %H:%M:%S")
            rows.append({
                "submitted_at": submitted.strftime("%Y-%m-%d %H:%M:%S"),
                "platform": platform,
                "category": _pick(rng, CATEGORIES),
                "group": _pick(rng, GROUPS),
                "region": _pick(rng, REGIONS),
                "resolved_at": resolved_text,
                "outcome": outcome,
                "items": str(1 + int(rng.expovariate(0.35))),
            })
    rows.sort(key=lambda r: r["submitted_at"])
    for number, row in enumerate(rows, start=1):
        row["complaint_id"] = f"SAMPLE-{number:05d}"
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(to_csv(generate()))
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
