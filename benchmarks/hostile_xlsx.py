"""Hostile XLSX benchmark: workbooks built to exhaust a reader, each through the page's own read step
(pipeline.prepare), timed, in a fresh process each so the peak memory is the case's own.

    python -m benchmarks.hostile_xlsx            # every case; writes benchmarks/HOSTILE_XLSX.md
    python -m benchmarks.hostile_xlsx --case NAME

Target (issue 17): every case ends, with a message or a read, within 10 s. The cases are generated here
from a seeded random source; none is real data.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEADER = ["event_date", "region", "group", "killed"]


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _book(sheet: str, shared: str | None = None) -> bytes:
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook {NS} {REL}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return _zip(parts)


def _row(number: int, values: list[str]) -> str:
    letters = "ABCDEFGHIJ"
    return f'<row r="{number}">' + "".join(
        f'<c r="{letters[i]}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values)) + "</row>"


def _sheet(rows: str, dimension: str = "A1:D2") -> str:
    return f'<worksheet {NS}><dimension ref="{dimension}"/><sheetData>{_row(1, HEADER)}{rows}</sheetData></worksheet>'


GOOD_ROW = ["2024-01-02", "Sindh", "TTP", "3"]
# a data row whose region is shared string 0, so the shared-strings part must be read
SHARED_ROW = ('<row r="2"><c r="A2" t="inlineStr"><is><t>2024-01-02</t></is></c><c r="B2" t="s"><v>0</v></c>'
              '<c r="C2" t="inlineStr"><is><t>TTP</t></is></c><c r="D2"><v>3</v></c></row>')


def cases() -> dict[str, tuple[str, callable]]:
    """name -> (what it is, builder). Builders are deterministic (seeded)."""
    def full_sheet():  # the red team's 4.9 KB file: a few rows, a dimension declaring the whole sheet
        return _book(_sheet(_row(2, GOOD_ROW), "A1:XFD1048576"))

    def full_sheet_50k():  # 50,000 real rows under a full-sheet dimension (openpyxl padded each: 56 s)
        return _book(_sheet("".join(_row(n, GOOD_ROW) for n in range(2, 50_002)), "A1:XFD1048576"))

    def far_cells():  # 20,000 rows with a value in Excel's last column (XFD): a padding reader builds 16,384 cells each
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2024-01-02</t></is></c>'
                       f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(2, 20_002))
        return _book(_sheet(rows, "A1:XFD20001"))

    def random_strings(count: int) -> str:  # distinct short strings (seeded): packs too poorly to look like a bomb
        rng = random.Random(17)
        return "<si><t>Sindh</t></si>" + "".join(f"<si><t>{rng.getrandbits(40):x}</t></si>" for _ in range(count - 1))

    def shared_strings_at_cap():  # exactly the cap of distinct strings: read
        return _book(_sheet(SHARED_ROW), f'<sst {NS}>{random_strings(1_000_000)}</sst>')

    def shared_strings_over_cap():  # 1.5 million distinct strings, no count declared: refused at the cap
        return _book(_sheet(SHARED_ROW), f'<sst {NS}>{random_strings(1_500_000)}</sst>')

    def shared_strings_declared():  # a tiny part declaring a billion strings
        return _book(_sheet(SHARED_ROW), f'<sst {NS} count="1000000000" uniqueCount="1000000000">'
                                         '<si><t>Sindh</t></si></sst>')

    def rich_text_runs():  # one shared string split into 300,000 rich-text runs of random text
        rng = random.Random(17)
        runs = "".join(f"<r><t>{rng.getrandbits(24):x}</t></r>" for _ in range(300_000))
        return _book(_sheet(SHARED_ROW), f'<sst {NS}><si>{runs}</si></sst>')

    def entity_bomb():  # billion laughs in the shared strings
        entities = '<!ENTITY a0 "laugh">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">'
                                                   for i in range(1, 10))
        return _book(_sheet(SHARED_ROW),
                     f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst {NS}><si><t>&a9;</t></si></sst>')

    def deep_nesting():  # 200,000 nested elements (random names, so it packs poorly) inside one cell
        rng = random.Random(17)
        names = [f"x{rng.getrandbits(32):x}" for _ in range(200_000)]
        return _book(_sheet('<row r="2"><c r="A2" t="inlineStr"><is>' + "".join(f"<{n}>" for n in names)
                            + "".join(f"</{n}>" for n in reversed(names)) + "</is></c></row>"))

    def malformed_late():  # 100,000 good rows, then broken XML
        rows = "".join(_row(n, GOOD_ROW) for n in range(2, 100_002))
        return _book(_sheet(rows + "<row r='100002'><c>").replace("</sheetData></worksheet>", ""))

    def formulas_without_values():  # 100,000 formula cells nobody calculated
        rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>2024-01-02</t></is></c>'
                       f'<c r="B{n}" t="inlineStr"><is><t>Sindh</t></is></c><c r="C{n}" t="inlineStr"><is><t>TTP</t>'
                       f'</is></c><c r="D{n}"><f>SUM(A1:A2)</f></c></row>' for n in range(2, 100_002))
        return _book(_sheet(rows, "A1:D100001"))

    return {
        "full_sheet_dimension": ("a 1 KB file declaring A1:XFD1048576, one data row", full_sheet),
        "full_sheet_dimension_50k_rows": ("50,000 rows under a full-sheet dimension", full_sheet_50k),
        "cells_in_last_column": ("20,000 rows with a cell in column XFD", far_cells),
        "shared_strings_1m": ("1 million distinct shared strings (the cap)", shared_strings_at_cap),
        "shared_strings_over_cap": ("1.5 million shared strings, no count declared", shared_strings_over_cap),
        "shared_strings_declared_1e9": ("a tiny part declaring 10^9 shared strings", shared_strings_declared),
        "rich_text_300k_runs": ("one shared string in 300,000 rich-text runs", rich_text_runs),
        "entity_bomb": ("billion laughs (10^9 expansions) in the shared strings", entity_bomb),
        "deep_nesting_200k": ("200,000 nested elements in one cell", deep_nesting),
        "malformed_after_100k_rows": ("100,000 good rows, then malformed XML", malformed_late),
        "formulas_without_values_100k": ("100,000 formula cells without a saved value", formulas_without_values),
    }


def run_case(name: str) -> dict:
    """Build one case and run the page's read step on it in this process."""
    from dashboard.ingest import pipeline
    from dashboard.ingest.model import IngestError

    what, build = cases()[name]
    data = build()
    start = time.perf_counter()
    try:
        prepared = pipeline.prepare(data, f"{name}.xlsx")
        outcome = (f"read: {prepared.parsed.rows_read:,} rows, {len(prepared.parsed.problems):,} problems"
                   + (f"; first: {prepared.parsed.problems[0]}" if prepared.parsed.problems else ""))
    except IngestError as exc:
        outcome = f"refused: {exc.problems[0] if exc.problems else exc}"
    seconds = time.perf_counter() - start
    return {"case": name, "what": what, "bytes": len(data), "seconds": round(seconds, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "outcome": outcome[:160]}


def measure(name: str) -> dict:
    """One case in a fresh process (its peak memory is its own)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.hostile_xlsx", "--case", name, "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    if done.returncode != 0:
        return {"case": name, "what": cases()[name][0], "bytes": 0, "seconds": float("nan"), "peak_mb": 0,
                "outcome": "CRASHED: " + (done.stderr.strip().splitlines() or ["?"])[-1][:150]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict]) -> str:
    load = os.getloadavg()[0]
    lines = [f"Hostile XLSX benchmark, {time.strftime('%Y-%m-%d %H:%M')}, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores, load average {load:.1f} at the end; each case through pipeline.prepare (the page's read step) in a fresh process. "
             f"Target: under {TARGET_SECONDS:.0f} s each.", "",
             "| case | what | file KB | seconds | peak RSS MB | outcome |", "|---|---|---:|---:|---:|---|"]
    for r in results:
        lines.append(f"| {r['case']} | {r['what']} | {r['bytes'] / 1024:,.1f} | {r['seconds']} | {r['peak_mb']} | "
                     f"{r['outcome'].replace('|', '/')} |")
    slowest = max((r["seconds"] for r in results), default=0)
    lines += ["", f"Slowest case: {slowest} s ({'within' if slowest <= TARGET_SECONDS else 'OVER'} the target)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=list(cases()))
    parser.add_argument("--json", action="store_true", help="print the one case's result as JSON")
    args = parser.parse_args(argv)
    if args.case and args.json:
        print(json.dumps(run_case(args.case)))
        return 0
    names = [args.case] if args.case else list(cases())
    results = []
    for name in names:
        result = measure(name)
        print(f"{name}: {result['seconds']} s, {result['peak_mb']} MB, {result['outcome']}", flush=True)
        results.append(result)
    text = report(results)
    if not args.case:
        (ROOT / "benchmarks" / "HOSTILE_XLSX.md").write_text(text, encoding="utf-8")
    print(text)
    return 0 if all(r["seconds"] <= TARGET_SECONDS for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
