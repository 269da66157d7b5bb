"""Writes wdbc.csv from the copy of the UCI WDBC data that Debian's python3-sklearn ships.

Standard library only, so anyone can reproduce the file byte for byte:
    apt-get install python3-sklearn && /usr/bin/python3 data/wdbc/make_wdbc.py
"""
import csv
import io
import pathlib

SOURCE = pathlib.Path("/usr/lib/python3/dist-packages/sklearn/datasets/data/breast_cancer.csv")
TARGET = pathlib.Path(__file__).with_name("wdbc.csv")

MEASURES = ["radius", "texture", "perimeter", "area", "smoothness", "compactness",
            "concavity", "concave_points", "symmetry", "fractal_dimension"]
# The 30 features are the mean, standard error and "worst" of each measure, in that order (UCI wdbc.names).
FEATURES = [f"{stat}_{m}" for stat in ("mean", "se", "worst") for m in MEASURES]

with SOURCE.open(newline="") as f:
    rows = list(csv.reader(f))
n_rows, n_features = int(rows[0][0]), int(rows[0][1])
assert (n_features, rows[0][2:]) == (30, ["malignant", "benign"]), rows[0]
data = rows[1:]
assert len(data) == n_rows == 569

out = io.StringIO()
writer = csv.writer(out, lineterminator="\n")
# scikit-learn codes the target 0 = malignant, 1 = benign; the positive class here is malignant = 1.
writer.writerow(["case_id", *FEATURES, "diagnosis"])
for i, row in enumerate(data, start=1):
    assert len(row) == 31
    writer.writerow([f"wdbc-{i:04d}", *row[:30], "1" if row[30] == "0" else "0"])
TARGET.write_text(out.getvalue(), encoding="utf-8")

malignant = sum(1 for r in data if r[30] == "0")
print(f"wrote {TARGET.name}: {len(data)} rows, {malignant} malignant, {len(data) - malignant} benign")
