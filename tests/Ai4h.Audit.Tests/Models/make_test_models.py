"""Writes the small ONNX models and data sets that the Runner's tests use, into this folder.

Every model takes float32 `features` [N, 30] (the 30 WDBC columns, in the order of
data/models/wdbc-logreg/manifest.json) unless stated otherwise:

- slow.onnx               probabilities [N, 2]. A deliberately compute-heavy model: each case is spread over
                          ROWS_PER_CASE rows of width WIDTH and pushed through LAYERS MatMul+Tanh layers with a
                          [WIDTH, WIDTH] weight generated inside the graph (Range -> Sin), so the file stays tiny.
                          Scoring 284 cases in batches of 8 takes roughly 10-30 s on 2 cores: used to stop the
                          Runner mid-evaluation and to test the evaluation timeout.
- fails-at-run-time.onnx  probabilities [N, 2]. Loads, and passes the submission dry run on a batch of exactly
                          2 zero rows, but fails inside ONNX Runtime for any other batch size: a Reshape to the
                          constant shape [2, -1] feeds a MatMul whose inner dimension then no longer matches.
- nan-output.onnx         probabilities [N, 2]. The WDBC logistic regression, except that cases with
                          mean_radius (feature 0) > 15 get NaN: a model that breaks numerically on some cases.
- diabetes-linreg.onnx    features [N, 10] -> progression [N, 1]. Linear regression on diabetes.csv (odd cases).
- wine-logreg.onnx        features [N, 13] -> probabilities [N, 3]. Multinomial logistic regression on wine.csv
                          (odd cases), standardisation inside the graph, Softmax at the end.
- diabetes.csv, wine.csv  the two real data sets as scikit-learn ships them (see README.md for provenance).
- *.manifest.json         submission manifests for the two real models (benchmarkId is filled in by the tests).

Only scikit-learn's bundled copies of the data are read, so the files are reproducible offline. Re-run with
Debian 12's packages (python3-sklearn 1.2.1, python3-onnx 1.12, python3-numpy):
    apt-get install python3-sklearn python3-onnx
    /usr/bin/python3 tests/Ai4h.Audit.Tests/Models/make_test_models.py
It prints the hold-out metrics of the two real models and each file's size and SHA-256 for README.md.
"""
import csv
import hashlib
import io
import json
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_diabetes, load_wine
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, f1_score, log_loss, mean_absolute_error,
                             mean_squared_error, r2_score, roc_auc_score)

HERE = pathlib.Path(__file__).parent
REPO = HERE.parents[2]
OPSET = 13

# slow.onnx: per case ROWS_PER_CASE x LAYERS x WIDTH² x 2 floating-point operations (about 4.3 GFLOP with the
# values below). Tuned with ONNX Runtime 1.31 from C# on a 2-core AMD EPYC: one batch of 8 takes about 0.5 s.
WIDTH = 1024
ROWS_PER_CASE = 64
LAYERS = 32


def save(model: onnx.ModelProto, name: str) -> None:
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, HERE / name)


def make_model(nodes, name, inputs, outputs, initializers) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    return helper.make_model(graph, producer_name="ai4h-audit make_test_models.py",
                             opset_imports=[helper.make_opsetid("", OPSET)])


def f32(name: str, value) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(value, dtype=np.float32), name)


def i64(name: str, value) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(value, dtype=np.int64), name)


def features(n: int) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", n])


def probabilities(k: int) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", k])


def write_csv(name: str, header: list, rows: list) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    (HERE / name).write_text(out.getvalue(), encoding="utf-8")


def number(v: float) -> str:
    """Shortest text that reads back as the same double, never in exponent notation, no trailing '.' for integers."""
    return np.format_float_positional(float(v), trim="-")


def odd_even(n: int):
    """Case numbers start at 1: odd-numbered cases train, even-numbered cases are the hold-out."""
    numbers = np.arange(1, n + 1)
    return numbers % 2 == 1, numbers % 2 == 0


def write_manifest(name: str, **fields) -> None:
    (HERE / name).write_text(json.dumps(fields, indent=2) + "\n", encoding="utf-8")


# --- WDBC logistic regression, as data/models/wdbc-logreg/make_model.py trains it --------------------------------
with open(REPO / "data" / "wdbc" / "wdbc.csv", newline="") as f:
    wdbc = list(csv.reader(f))[1:]
wdbc_train = [r for r in wdbc if int(r[0].split("-")[1]) % 2 == 1]
Xw = np.array([[float(v) for v in r[1:31]] for r in wdbc_train])
yw = np.array([int(r[31]) for r in wdbc_train])
w_mean, w_std = Xw.mean(axis=0), Xw.std(axis=0)
wdbc_clf = LogisticRegression(C=1.0, max_iter=5000, random_state=0).fit((Xw - w_mean) / w_std, yw)
# Two-class softmax of logits [0, z] equals [1 - sigmoid(z), sigmoid(z)].
w_W = np.zeros((30, 2), dtype=np.float32)
w_W[:, 1] = wdbc_clf.coef_[0]
w_b = np.array([0.0, wdbc_clf.intercept_[0]], dtype=np.float32)


def wdbc_logreg_nodes(source: str, output: str):
    nodes = [
        helper.make_node("Sub", [source, "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["logits"]),
        helper.make_node("Softmax", ["logits"], [output], axis=1),
    ]
    return nodes, [f32("mean", w_mean), f32("std", w_std), f32("W", w_W), f32("b", w_b)]


# --- slow.onnx ----------------------------------------------------------------------------------------------------
# The weights are computed inside the graph (ONNX Runtime folds them into constants when the session loads), so the
# file holds only a few scalars: w[i] = (i² mod 65521) / 65521 − 0.5 for i = 0 … WIDTH²−1, scaled. A quadratic
# residue sequence is full-rank and spectrally flat enough that 32 Tanh layers neither vanish nor saturate (a sine
# of i would give a rank-2 matrix whose signal dies out), so the outputs vary from case to case.
gain = 1.5 / (np.sqrt(1 / 12) * np.sqrt(WIDTH))  # uniform(-0.5, 0.5) has standard deviation sqrt(1/12)
slow_nodes = [
    helper.make_node("Range", ["zero", "weight_count", "one"], ["weight_index"]),
    helper.make_node("Mul", ["weight_index", "weight_index"], ["squared"]),
    helper.make_node("Mod", ["squared", "modulus"], ["residue"]),
    helper.make_node("Cast", ["residue"], ["residue_f"], to=TensorProto.FLOAT),
    helper.make_node("Div", ["residue_f", "modulus_f"], ["uniform"]),
    helper.make_node("Sub", ["uniform", "half"], ["centred_weights"]),
    helper.make_node("Mul", ["centred_weights", "gain"], ["weights_flat"]),
    helper.make_node("Reshape", ["weights_flat", "square"], ["weights"]),
    # The first 30 rows of the square weight serve as the input projection [30, WIDTH].
    helper.make_node("Slice", ["weights", "rows_from", "rows_to"], ["projection"]),
    helper.make_node("Div", ["features", "feature_scale"], ["scaled"]),
    helper.make_node("MatMul", ["scaled", "projection"], ["h0"]),
    helper.make_node("Unsqueeze", ["h0", "axis1"], ["h0_3d"]),
    # Each case becomes ROWS_PER_CASE rows, which is where the work comes from; a per-row offset keeps them distinct.
    helper.make_node("Expand", ["h0_3d", "expanded_shape"], ["spread"]),
    helper.make_node("Add", ["spread", "row_offsets"], ["layer0"]),
]
for i in range(LAYERS):
    slow_nodes += [
        helper.make_node("MatMul", [f"layer{i}", "weights"], [f"pre{i + 1}"]),
        helper.make_node("Tanh", [f"pre{i + 1}"], [f"layer{i + 1}"]),
    ]
slow_nodes += [
    helper.make_node("ReduceMean", [f"layer{LAYERS}"], ["pooled"], axes=[1], keepdims=0),
    helper.make_node("Slice", ["pooled", "cols_from", "cols_to", "axis1"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
]
row_offsets = (np.arange(ROWS_PER_CASE, dtype=np.float32) / ROWS_PER_CASE - 0.5).reshape(ROWS_PER_CASE, 1)
save(make_model(slow_nodes, "slow", [features(30)], [probabilities(2)], [
    i64("zero", 0), i64("one", 1), i64("weight_count", WIDTH * WIDTH), i64("modulus", 65521),
    f32("modulus_f", 65521.0), f32("half", 0.5), f32("gain", gain), i64("square", [WIDTH, WIDTH]), i64("rows_from", [0]), i64("rows_to", [30]),
    # Brings every WDBC feature to order 1 (the largest, worst_area, reaches about 4250).
    f32("feature_scale", np.maximum(np.abs(Xw).max(axis=0), 1e-6)),
    i64("axis1", [1]), i64("expanded_shape", [1, ROWS_PER_CASE, 1]), f32("row_offsets", row_offsets),
    i64("cols_from", [0]), i64("cols_to", [2]),
]), "slow.onnx")

# --- fails-at-run-time.onnx ---------------------------------------------------------------------------------------
# Reshape [N, 30] -> [2, 15N]: only N = 2 gives the [2, 30] that the [30, 2] weight expects.
fail_nodes, fail_init = wdbc_logreg_nodes("paired", "probabilities")
save(make_model([helper.make_node("Reshape", ["features", "two_rows"], ["paired"])] + fail_nodes, "fails_at_run_time", [features(30)], [probabilities(2)],
                fail_init + [i64("two_rows", [2, -1])]), "fails-at-run-time.onnx")

# --- nan-output.onnx ----------------------------------------------------------------------------------------------
nan_nodes, nan_init = wdbc_logreg_nodes("features", "valid")
nan_nodes += [
    helper.make_node("Gather", ["features", "first_column"], ["mean_radius"], axis=1),
    helper.make_node("Greater", ["mean_radius", "radius_limit"], ["breaks"]),
    helper.make_node("Where", ["breaks", "nan", "valid"], ["probabilities"]),
]
save(make_model(nan_nodes, "nan_output", [features(30)], [probabilities(2)], nan_init + [
    i64("first_column", [0]), f32("radius_limit", 15.0), f32("nan", np.nan),
]), "nan-output.onnx")

# --- diabetes: data, linear regression, manifest ------------------------------------------------------------------
diabetes = load_diabetes()
Xd, yd = diabetes.data, diabetes.target
assert Xd.shape == (442, 10), Xd.shape
sex = Xd[:, diabetes.feature_names.index("sex")]
assert len(np.unique(sex)) == 2
write_csv("diabetes.csv", ["case_id", *diabetes.feature_names, "sex_group", "progression"], [
    [f"dia-{i + 1:04d}", *(number(v) for v in Xd[i]), "A" if sex[i] < 0 else "B", number(yd[i])]
    for i in range(len(yd))
])
train, holdout = odd_even(len(yd))
reg = LinearRegression().fit(Xd[train], yd[train])
save(make_model([
    helper.make_node("MatMul", ["features", "coef"], ["xw"]),
    helper.make_node("Add", ["xw", "intercept"], ["progression"]),
], "diabetes_linreg", [features(10)], [helper.make_tensor_value_info("progression", TensorProto.FLOAT, ["N", 1])],
    [f32("coef", reg.coef_.reshape(10, 1)), f32("intercept", [reg.intercept_])]), "diabetes-linreg.onnx")
write_manifest(
    "diabetes-linreg.manifest.json",
    modelName="Diabetes linear regression", modelVersion="1.0.0", developerOrganisation="Ai4h.Audit tests",
    intendedUse="Test model: disease progression one year after baseline, from 10 baseline variables",
    inputTensor="features", featureColumns=list(diabetes.feature_names), outputTensor="progression",
    outputKind="RegressionValue", positiveClassIndex=None)
pred = reg.predict(Xd[holdout])
print(f"diabetes-linreg: trained on {train.sum()} cases; hold-out ({holdout.sum()} cases): "
      f"R2 = {r2_score(yd[holdout], pred):.4f}, MAE = {mean_absolute_error(yd[holdout], pred):.4f}, "
      f"RMSE = {np.sqrt(mean_squared_error(yd[holdout], pred)):.4f}")

# --- wine: data, multinomial logistic regression, manifest --------------------------------------------------------
wine = load_wine()
Xv, yv = wine.data, wine.target
assert Xv.shape == (178, 13) and set(yv) == {0, 1, 2}
# "od280/od315_of_diluted_wines" becomes od280_od315_of_diluted_wines: a slash is awkward in a column name.
wine_columns = [c.replace("/", "_") for c in wine.feature_names]
write_csv("wine.csv", ["case_id", *wine_columns, "cultivar"], [
    [f"wine-{i + 1:04d}", *(number(v) for v in Xv[i]), str(int(yv[i]))] for i in range(len(yv))
])
train, holdout = odd_even(len(yv))
v_mean, v_std = Xv[train].mean(axis=0), Xv[train].std(axis=0)
wine_clf = LogisticRegression(C=1.0, max_iter=5000, random_state=0).fit((Xv[train] - v_mean) / v_std, yv[train])
assert wine_clf.coef_.shape == (3, 13)  # lbfgs fits the multinomial model for three classes
save(make_model([
    helper.make_node("Sub", ["features", "mean"], ["centred"]),
    helper.make_node("Div", ["centred", "std"], ["scaled"]),
    helper.make_node("MatMul", ["scaled", "W"], ["xw"]),
    helper.make_node("Add", ["xw", "b"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
], "wine_logreg", [features(13)], [probabilities(3)], [
    f32("mean", v_mean), f32("std", v_std), f32("W", wine_clf.coef_.T), f32("b", wine_clf.intercept_),
]), "wine-logreg.onnx")
write_manifest(
    "wine-logreg.manifest.json",
    modelName="Wine cultivar logistic regression", modelVersion="1.0.0", developerOrganisation="Ai4h.Audit tests",
    intendedUse="Test model: which of three cultivars a wine comes from, from 13 chemical measurements",
    inputTensor="features", featureColumns=wine_columns, outputTensor="probabilities",
    outputKind="Probabilities", positiveClassIndex=None)
proba = wine_clf.predict_proba((Xv[holdout] - v_mean) / v_std)
yh = yv[holdout]
print(f"wine-logreg: trained on {train.sum()} cases; hold-out ({holdout.sum()} cases): "
      f"accuracy = {accuracy_score(yh, proba.argmax(axis=1)):.4f}, "
      f"balanced accuracy = {balanced_accuracy_score(yh, proba.argmax(axis=1)):.4f}, "
      f"macro F1 = {f1_score(yh, proba.argmax(axis=1), average='macro'):.4f}, "
      f"macro one-vs-rest AUROC = {roc_auc_score(yh, proba, multi_class='ovr', average='macro'):.4f}, "
      f"log loss = {log_loss(yh, proba):.4f}")

# --- sizes and digests for README.md -----------------------------------------------------------------------------
for name in ["slow.onnx", "fails-at-run-time.onnx", "nan-output.onnx", "diabetes-linreg.onnx", "diabetes.csv",
             "diabetes-linreg.manifest.json", "wine-logreg.onnx", "wine.csv", "wine-logreg.manifest.json"]:
    data = (HERE / name).read_bytes()
    assert len(data) < 100_000, f"{name} is {len(data)} bytes; keep test files under 100 KB"
    print(f"| `{name}` | {len(data):,} B | `{hashlib.sha256(data).hexdigest()}` |")
