"""Writes the bad-input corpus: one small file per way an upload can be wrong, and expected.csv naming
the words each rejection must contain. Run from the repository root:

    python tests/bad_inputs/make_corpus.py

Every row is invented. The files are committed; this script documents how each was made.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ACLED = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
         "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
         "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp")
ACLED_ROW = ("TST{n},2024-02-03,2024,1,Political violence,Battles,Armed clash,Military Forces of Pakistan (2018-),,1,"
             "Tehrik-i-Taliban Pakistan (TTP),,2,12,,586,Southern Asia,Pakistan,Khyber Pakhtunkhwa,Bannu,,Test Village,"
             "32.98,70.60,1,Test Source,National,test row,{killed},,1707000000")
EVENTS = "event_id,event_date,region,group,event_type,killed,injured,latitude"
COMPLAINTS = "complaint_id,platform,category,group,region,submitted_at,resolved_at,outcome,items"
METRICS = "platform,policy_area,metric,period_start,period_end,value,unit"


def acled(*rows: str, header: str = ACLED) -> bytes:
    return (header + "\n" + "\n".join(rows) + "\n").encode()


def good(n: int = 1, killed: str = "4") -> str:
    return ACLED_ROW.format(n=n, killed=killed)


def event(**cells: str) -> str:
    row = {"event_id": "E1", "event_date": "2024-01-02", "region": "Sindh", "group": "TTP",
           "event_type": "Attack", "killed": "1", "injured": "0", "latitude": "25.0"} | cells
    return ",".join(row[c] for c in EVENTS.split(","))


def events(*rows: str) -> bytes:
    return (EVENTS + "\n" + "\n".join(rows) + "\n").encode()


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def corpus() -> dict[str, tuple[bytes, str]]:
    """file name -> (bytes, words the rejection must contain)."""
    acled_parquet = {c: [""] for c in ACLED.split(",")} | {
        "event_id_cnty": ["TST1"], "event_date": ["2024-02-03"], "event_type": ["Battles"], "actor1": ["X"],
        "country": ["Pakistan"], "admin1": ["Sindh"], "fatalities": ["many"]}
    return {
        "empty.csv": (b"", "the file is empty"),
        "whitespace_only.csv": (b"  \r\n\n\t\n", "the file is empty"),
        "header_only.csv": (acled(), "no data rows"),
        "image_renamed.csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
        "binary_noise.csv": (bytes(range(256)) * 4, "NUL bytes"),
        "utf16_without_bom.csv": (events(event()).decode().encode("utf-16-le"), "NUL bytes"),
        "mixed_encodings.csv": (events(event(region="Peshāwar")) + "E2,2024-01-03,Sindh,Lashkar-e-Jhangvī,Attack,1,0,25\n"
                                .replace("ī", "\u00ef").encode("cp1252"), "mixes UTF-8"),
        "pdf_renamed.csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        "gzip_archive.csv": (gzip.compress(events(event())), "gzip archive"),
        "old_excel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "old Excel .xls"),
        "control_characters.csv": (b"a,b\n\x01\x02\x03,\x04\n", "control characters"),
        "ragged_short_row.csv": (events(event(), "E2,2024-01-03,Sindh"), "has 3 cells but the header has 8"),
        "ragged_long_row.csv": (events(event(), event(event_id="E2") + ",extra,cells"), "has 10 cells but the header has 8"),
        "unclosed_quote.csv": (events(event(), 'E2,2024-01-03,"Sindh,TTP,Attack,1,0,25', event(event_id="E3")),
                               "never closed"),
        "missing_required_column_acled.csv": (acled(good(), header=ACLED.replace(",fatalities", ",fatalites")),
                                              "'fatalites' meant to be 'fatalities'"),
        "missing_required_column_template.csv": (b"event_id,event_date,region,group\nE1,2024-01-02,Sindh,TTP\n",
                                                 "looks like Observatory template: events"),
        "unknown_format.csv": (b"colour,shape\nred,round\n", "matches no known format"),
        "duplicate_columns.csv": (b"event_date,region,group,killed,killed\n2024-01-02,Sindh,TTP,1,2\n", "appears twice"),
        "duplicate_columns_case.csv": (b"event_date,Region,group,killed,region\n2024-01-02,Sindh,TTP,1,KP\n",
                                       "appears twice"),
        "no_header_names.csv": (b",,,\n1,2,3,4\n", "no column names"),
        "bad_date_acled.csv": (acled(good().replace("2024-02-03", "30/02/2024")), "is not a date"),
        "bad_date_template.csv": (events(event(event_date="2024-13-45")), "is not a date"),
        "future_date.csv": (events(event(event_date="2099-01-01")), "is in the future"),
        "ancient_date.csv": (events(event(event_date="1850-01-01")), "is before 1900-01-01"),
        "empty_required_date.csv": (events(event(event_date="")), "is required and is empty"),
        "negative_fatalities.csv": (acled(good(killed="-3")), "is below the minimum 0"),
        "negative_weekly_events.csv": (
            b"week,region,country,admin1,disorder_type,event_type,sub_event_type,events,fatalities\n"
            b"2024-01-06,Southern Asia,Pakistan,Sindh,Political violence,Battles,Armed clash,-5,0\n",
            "is below the minimum 0"),
        "text_in_numeric.csv": (acled(good(killed="many")), "is not a number"),
        "fractional_count.csv": (events(event(killed="2.5")), "is not a whole number"),
        "latitude_out_of_range.csv": (events(event(latitude="123.4")), "is above the maximum 90"),
        "duplicate_event_ids.csv": (acled(good(1), good(2), good(1)), "repeats an id"),
        "duplicate_complaint_ids.csv": ((COMPLAINTS + "\nC1,FB,Propaganda,,,2024-01-01 10:00:00,,pending,1\n"
                                         "C1,X,Propaganda,,,2024-01-02 10:00:00,,pending,1\n").encode(), "repeats an id"),
        "formula_hyperlink.csv": (events(event(group='"=HYPERLINK(""http://example.invalid"",""click"")"')),
                                  "spreadsheet formula"),
        "formula_at_sum.csv": (events(event(region="@SUM(A1:A9)")), "spreadsheet formula"),
        "formula_plus_cmd.csv": (events(event(group="+cmd|' /C calc'!A0")), "spreadsheet formula"),
        "formula_minus_in_acled_actor.csv": (acled(good().replace("Military Forces", "-2+3+cmd|' /C calc'!A0 Forces")
                                                   .replace(",1,Tehrik", ",3,Tehrik")), "spreadsheet formula"),
        "html_script_in_name.csv": (events(event(group="<script>alert(1)</script>")), "HTML markup"),
        "html_img_in_region.csv": (events(event(region='"<img src=x onerror=alert(1)>"')), "HTML markup"),
        "huge_cell.csv": (events(event(event_type="x" * 40_000)), "Excel's cell limit"),
        "overlong_name.csv": (events(event(group="G" * 600)), "longer than 500 characters"),
        "bad_actor_type.csv": (acled(good().replace(",1,Tehrik", ",9,Tehrik")), "not an ACLED actor type"),
        "gtd_month_13.csv": (b"eventid,iyear,imonth,iday,gname,nkill\n201901010001,2019,13,1,TTP,1\n",
                             "is above the maximum 12"),
        "dsa_bad_json.csv": (b"uuid,decision_visibility,decision_ground,category,platform_name,created_at\n"
                             b'u1,"[DECISION_VISIBILITY_CONTENT_REMOVED",DECISION_GROUND_ILLEGAL_CONTENT,'
                             b"STATEMENT_CATEGORY_SCAMS_AND_FRAUD,Test Platform,2025-07-01 00:00:00\n",
                             "is not a JSON array"),
        "meta_bad_period.csv": (b'app,policy_area,metric,period,value\nFacebook,Dangerous Orgs: Terrorism,'
                                b'Content Actioned,2023Q5,"1,000"\n', "is not a quarter"),
        "complaint_bad_outcome.csv": ((COMPLAINTS + "\nC1,FB,Propaganda,,,2024-01-01 10:00:00,2024-01-02 10:00:00,"
                                       "deleted,1\n").encode(), "is not one of"),
        "complaint_resolved_before_submitted.csv": (
            (COMPLAINTS + "\nC1,FB,Propaganda,,,2024-01-05 10:00:00,2024-01-02 10:00:00,removed,1\n").encode(),
            "is before submitted_at"),
        "metrics_fraction_above_one.csv": ((METRICS + "\nX,Violent extremism,Removal rate,2024-01-01,2024-03-31,"
                                            "95,fraction\n").encode(), "fraction above 1"),
        "metrics_period_backwards.csv": ((METRICS + "\nX,Violent extremism,Posts removed,2024-04-01,2024-03-31,"
                                          "10,count\n").encode(), "is before period_start"),
        "xlsx_zip_bomb.xlsx": (zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                                          "xl/worksheets/sheet1.xml": b"<" + b" " * (48 << 20) + b">"}), "zip bomb"),
        "zip_not_xlsx.xlsx": (zip_bytes({"readme.txt": b"not a workbook"}), "not an Excel .xlsx workbook"),
        "damaged_xlsx.xlsx": (xlsx([EVENTS.split(","), event().split(",")])[:600], "damaged"),
        "xlsx_header_only.xlsx": (xlsx([EVENTS.split(",")]), "no data rows"),
        "xlsx_bad_cell.xlsx": (xlsx([EVENTS.split(","), event(killed="lots").split(",")]), "is not a number"),
        "parquet_nested_schema.parquet": (parquet(pa.table({"event_date": ["2024-01-02"], "tags": [["a", "b"]]})),
                                          "nested column"),
        "parquet_wrong_types.parquet": (parquet(pa.table(acled_parquet)), "is not a number"),
        "parquet_damaged.parquet": (parquet(pa.table({"event_date": ["2024-01-02"]}))[:-20] + b"PAR1", "damaged"),
        "parquet_unknown_schema.parquet": (parquet(pa.table({"x": [1], "y": [2.5]})), "matches no known format"),
    }


def main() -> None:
    files = corpus()
    for old in HERE.iterdir():
        if old.suffix in {".csv", ".xlsx", ".xls", ".parquet"} and old.name != "expected.csv" and old.name not in files:
            old.unlink()
    rows = []
    for name, (data, expected) in files.items():
        (HERE / name).write_bytes(data)
        rows.append({"file": name, "expected": expected})
    with open(HERE / "expected.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "expected"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(files)} bad files written to {HERE}")


if __name__ == "__main__":
    main()
