"""Load the daily aggregates (the Spark job's or the DuckDB importer's Parquet) into content_metrics.

Each day is one dataset keyed by its dump's sha256: the same dump again is skipped (already loaded), a
regenerated dump of a loaded day (another checksum) replaces that day's dataset in the same transaction
(the old one is retracted), so a day is never counted twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard import audit, db
from dashboard.dsa.duckdb_import import COLUMNS
from dashboard.ingest import load as loader
from dashboard.ingest.model import DatasetMeta, LoadOptions, Parsed
from dashboard.ingest.validate import ROW

FORMAT = "eu_dsa_sor_dump"
SOURCE = "EU DSA Transparency Database"
LICENCE = "European Commission reuse policy (Decision 2011/833/EU)"
ATTRIBUTION = "Source: EU DSA Transparency Database"
ACTOR = "dsa command"


@dataclass
class Loaded:
    day: str
    dump: str
    outcome: str  # "loaded", "replaced", "already loaded"
    dataset_id: int | None
    message: str


def manifest(folder: Path) -> dict:
    return json.loads((folder / "_dsa.json").read_text(encoding="utf-8"))


def aggregate_folders(output: Path) -> list[Path]:
    """Day folders of a job's output, in day order."""
    return sorted((p for p in output.iterdir() if (p / "_dsa.json").is_file()), key=lambda p: manifest(p)["day"])


def meta_for(info: dict) -> DatasetMeta:
    synthetic = bool(info.get("synthetic"))
    name = f"EU DSA statements of reasons, {info['day']} ({info['variant']} dump)"
    return DatasetMeta(
        name=("Sample data: " + name) if synthetic else name, kind="content_metrics",
        source=SOURCE + (" (synthetic sample)" if synthetic else ""), licence="CC0 (synthetic)" if synthetic else LICENCE,
        attribution=("Sample data: synthetic statements in the DSA dump layout" if synthetic else ATTRIBUTION),
        format=FORMAT, file_name=info["dump"], sha256=info["sha256"], loaded_by=ACTOR, is_synthetic=synthetic,
        notes=f"{info['statements']:,} statements aggregated from the daily dump {info['dump']}.",
    )


def load_day(con: db.Connection, folder: Path) -> Loaded:
    """Load one day's aggregate (or skip it when the same dump is loaded already)."""
    info = manifest(folder)
    existing = db.run(con, "datasets_by_sha256", sha256=info["sha256"])
    if len(existing):
        row = existing.iloc[0]
        return Loaded(info["day"], info["dump"], "already loaded", int(row["dataset_id"]),
                      f"already loaded as dataset {int(row['dataset_id'])} ({row['status']}): skipped")
    frame = pd.read_parquet(folder, columns=COLUMNS)
    frame.insert(0, ROW, range(2, len(frame) + 2))
    older = db.run(con, "load/dsa_day_datasets", format=FORMAT, day=info["day"])["dataset_id"].tolist()
    meta = meta_for(info)

    def record(cur: db.Connection, dataset_id: int) -> None:
        audit.record(cur, ACTOR, "upload", target=f"dataset {dataset_id}",
                     detail=f"{info['dump']} ({FORMAT}, sha256 {info['sha256'][:12]})")
        for old in older:
            audit.record(cur, ACTOR, "retract", target=f"dataset {old}", detail=f"replaced by dataset {dataset_id}")

    parsed = Parsed(FORMAT, "content_metrics", frame, [], rows_read=int(info["statements"]))
    dataset_id = loader.load(con, meta, parsed, LoadOptions(retract_ids=tuple(int(i) for i in older)), before_commit=record)
    outcome = "replaced" if older else "loaded"
    extra = f", replacing dataset {', '.join(map(str, older))}" if older else ""
    return Loaded(info["day"], info["dump"], outcome, dataset_id,
                  f"{outcome} as dataset {dataset_id} ({len(frame):,} rows{extra})")
