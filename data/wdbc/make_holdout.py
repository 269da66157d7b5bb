"""Writes wdbc-holdout.csv: the WDBC cases the demo model never saw in training, for a fair benchmark.

The demo model (data/models/wdbc-logreg) was trained on the odd-numbered cases; this file keeps the even-numbered
ones (284) and adds one categorical column for subgroup analysis, `nuclear_size`: "small" when mean_radius (the
mean radius of the cell nuclei in the image) is below 14, else "large". It is derived from a feature, not a patient
attribute: WDBC has no demographic columns, and the demo needs a categorical column to show per-subgroup results.
Standard library only; reproduces the file byte for byte:
    python3 data/wdbc/make_holdout.py
"""
import csv
import pathlib

here = pathlib.Path(__file__).parent
with open(here / "wdbc.csv", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
with open(here / "wdbc-holdout.csv", "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(header + ["nuclear_size"])
    for row in data:
        if int(row[0].split("-")[1]) % 2 == 0:
            out.writerow(row + ["small" if float(row[1]) < 14 else "large"])
