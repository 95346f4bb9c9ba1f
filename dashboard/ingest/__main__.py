"""Command-line import, for scripted and scheduled loads, on the upload page's own pipeline:

    python -m dashboard.ingest FILE [--mapping MAPPING.json] [--dry-run] [--as USER] [--json]

Prints the validation report the page shows (with --json: format, rows, every problem by row, column,
value and reason, the rows that would load, unknown names, rows of other countries). Exit status: 0 the
file is (or would be) loaded; 1 a blocking problem remains (nothing written); 2 the file or the mapping
cannot be read or the format is not recognised; 3 the account may not load data. Without --dry-run,
--as names an account of the users file (README, "Security"): its role is checked on the server side
exactly as on the page (analyst or admin) and the load is recorded in the audit log under that name.
The partial-load choices of the page are options here, each off unless given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard import actions, auth, db
from dashboard.ingest import mapping as decisions_file
from dashboard.ingest import pipeline
from dashboard.ingest.detect import UnknownFormatError
from dashboard.ingest.harmonise import other_country_rows
from dashboard.ingest.model import IngestError, LoadOptions, Problem, blankable, blocking
from dashboard.ingest.names import alias_tables

EXIT_OK, EXIT_BLOCKED, EXIT_UNREADABLE, EXIT_DENIED = 0, 1, 2, 3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dashboard.ingest", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--mapping", type=Path, help="a mapping file downloaded from the upload page")
    parser.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    parser.add_argument("--as", dest="user", help="the analyst or admin account the load is made as")
    parser.add_argument("--json", action="store_true", help="the report as JSON on standard output")
    parser.add_argument("--valid-rows-only", action="store_true", help="skip rows with problems (recorded)")
    parser.add_argument("--blank-invalid-optional", action="store_true",
                        help="leave invalid optional cells blank and keep their rows (each reported)")
    parser.add_argument("--complete-rows", action="store_true",
                        help="a file cut off mid-row: load the complete rows before the cut")
    parser.add_argument("--other-countries", choices=("keep", "leave-out"), default="keep",
                        help="rows of countries outside the reference tables: keep them under their country "
                             "(default) or leave them out")
    parser.add_argument("--name", default="", help="dataset name (default: the file name)")
    parser.add_argument("--source", default="")
    parser.add_argument("--licence", default="")
    return parser.parse_args(argv)


def problem_rows(problems) -> list[dict]:
    return [{"row": p.row, "column": p.column, "value": p.value, "reason": p.reason} for p in problems]


def emit(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        return
    print(f"{report['file']}: {report.get('format_label') or report.get('format') or 'not recognised'}")
    for notice in report.get("notices", []):
        print(f"note: {notice}")
    if "rows" in report:
        print(f"{report['rows']:,} rows read, {report['rows_with_problems']:,} with problems, "
              f"{report['rows_to_load']:,} would load")
    for p in report["problems"]:
        print(f"problem: {Problem(**p)}")  # worded as everywhere: row, column, value, reason
    for name in report.get("unknown_names", []):
        print(f"unknown {name['entity']}: {name['raw']!r} ({name['rows']:,} rows) kept as a new name"
              + (f"; closest known: {', '.join(name['suggestions'])}" if name["suggestions"] else ""))
    for country, events in report.get("other_countries", {}).items():
        print(f"other country: {country} ({events:,} events) {report['other_countries_choice']}")
    print(report["outcome"])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report: dict = {"file": str(args.file), "problems": []}

    def finish(code: int, outcome: str) -> int:
        report["outcome"], report["exit_status"] = outcome, code
        emit(report, args.json)
        return code

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        return finish(EXIT_UNREADABLE, f"cannot read the file: {exc.strerror}")
    decisions = decisions_file.Decisions()
    if args.mapping:
        try:
            decisions = decisions_file.from_json(args.mapping.read_bytes())
        except (OSError, decisions_file.MappingFileError) as exc:
            return finish(EXIT_UNREADABLE, f"cannot use the mapping file {args.mapping}: {exc}")
    try:
        prepared = pipeline.prepare(data, args.file.name, mapping=decisions.mapping,
                                    complete_rows_only=args.complete_rows)
    except UnknownFormatError as exc:
        report["problems"] = problem_rows(exc.problems)
        return finish(EXIT_UNREADABLE, "format not recognised: map its columns on the upload page and download "
                                       "the mapping file for --mapping")
    except IngestError as exc:
        report["problems"] = problem_rows(exc.problems)
        cut = pipeline.truncation(data, args.file.name)
        hint = f" (line {cut.line} is cut off: --complete-rows loads the rows before it)" if cut else ""
        return finish(EXIT_UNREADABLE, "the file cannot be read" + hint)

    from dashboard.warehouse import ensure_database  # builds the database on a fresh clone

    con = db.connect(ensure_database(db.db_path()))
    try:
        return run(con, args, prepared, decisions, report, finish)
    finally:
        con.close()


def run(con, args, prepared: pipeline.Prepared, decisions, report: dict, finish) -> int:
    parsed = prepared.parsed
    tables = alias_tables(con)
    names = {entity: {raw: name for raw, name in mapping.items() if name in tables[entity].canonical}
             for entity, mapping in decisions.names.items()}
    hard = blocking(parsed, args.blank_invalid_optional)
    file_level = any(p.row is None or p.row == 1 for p in hard)
    bad_rows = {p.row for p in hard}
    other = pipeline.other_countries(parsed, tables)
    report.update({
        "format": prepared.format.name, "format_label": prepared.format.label,
        "mapped": prepared.mapping is not None, "source": prepared.source.describe(), "notices": prepared.notices,
        "rows": parsed.rows_read, "rows_with_problems": prepared.rows_with_problems,
        "problems": problem_rows(parsed.problems),
        "blanked_cells": sum(1 for p in parsed.problems if args.blank_invalid_optional
                             and blankable(p, parsed.essential)),
        "rows_to_load": 0 if file_level or (hard and not args.valid_rows_only) else len(parsed.frame) - len(bad_rows),
        "unknown_names": [{"entity": u.entity, "raw": u.raw, "rows": u.rows,
                           "suggestions": [s.name for s in u.suggestions]}
                          for u in pipeline.unknown_names(parsed, tables)
                          if u.raw not in names.get(u.entity, {})],
        "other_countries": {str(k): int(v) for k, v in other.items()},
        "other_countries_choice": "kept under their country" if args.other_countries == "keep" else "left out",
    })
    if file_level or (hard and not args.valid_rows_only):
        return finish(EXIT_BLOCKED, "blocked: fix the problems (or choose --valid-rows-only"
                                    + (" or --blank-invalid-optional" if not args.blank_invalid_optional else "")
                                    + "); nothing was written")
    if args.other_countries == "leave-out" and len(other):
        report["rows_to_load"] -= int(other_country_rows(parsed.frame, tables["region"])
                                      [~parsed.frame["_row"].isin(bad_rows)].sum())
    if args.dry_run:
        return finish(EXIT_OK, "dry run: nothing was written")
    if not args.user:
        return finish(EXIT_DENIED, "--as USER is needed to load (or use --dry-run)")
    record = auth.load_users().get(args.user)
    if record is None:
        return finish(EXIT_DENIED, f"no account {args.user!r} in {auth.users_path()}")
    user = auth.User(args.user, record["role"], record.get("display_name", ""), via="cli")
    meta = pipeline.meta_for(prepared, name=args.name, source=args.source, licence=args.licence,
                             attribution=args.source, loaded_by=user.username,
                             notes="Loaded with the command line (python -m dashboard.ingest).")
    try:
        options = LoadOptions(allow_partial=args.valid_rows_only, blank_optional=args.blank_invalid_optional,
                              other_countries="keep" if args.other_countries == "keep" else "leave_out",
                              extra_aliases=names)
        dataset_id = actions.upload(con, user, meta, parsed, options)
    except auth.PermissionDenied as exc:
        return finish(EXIT_DENIED, f"refused: {exc}")
    except IngestError as exc:
        report["problems"] = problem_rows(exc.problems)
        return finish(EXIT_BLOCKED, "nothing was loaded")
    report["dataset_id"] = dataset_id
    return finish(EXIT_OK, f"loaded as dataset {dataset_id}")


if __name__ == "__main__":
    sys.exit(main())
