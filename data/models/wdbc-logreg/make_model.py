"""Trains a small logistic-regression model on part of WDBC and writes it as ONNX (model.onnx).

Development split: cases whose number is odd (wdbc-0001, wdbc-0003, …; 285 cases). The even-numbered cases
(284) are never seen in training; the demo evaluates on them. Standardisation is inside the graph, so the model
takes the 30 raw features in the column order of data/wdbc/wdbc.csv.

Graph: features[N,30] float32 -> Sub(mean) -> Div(std) -> MatMul(W[30,2]) -> Add(b[2]) -> Softmax -> probabilities[N,2]
(column 1 is the probability of malignancy). Requires Debian's python3-sklearn and python3-onnx:
    /usr/bin/python3 data/models/wdbc-logreg/make_model.py
"""
import csv
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.linear_model import LogisticRegression

here = pathlib.Path(__file__).parent
with open(here.parent.parent / "wdbc" / "wdbc.csv", newline="") as f:
    rows = list(csv.reader(f))
header, data = rows[0], rows[1:]
train = [r for r in data if int(r[0].split("-")[1]) % 2 == 1]
X = np.array([[float(v) for v in r[1:31]] for r in train])
y = np.array([int(r[31]) for r in train])

mean, std = X.mean(axis=0), X.std(axis=0)
clf = LogisticRegression(C=1.0, max_iter=5000, random_state=0).fit((X - mean) / std, y)

# Two-class softmax of logits [0, z] equals [1 - sigmoid(z), sigmoid(z)].
W = np.zeros((30, 2), dtype=np.float32)
W[:, 1] = clf.coef_[0]
b = np.array([0.0, clf.intercept_[0]], dtype=np.float32)

graph = helper.make_graph(
    [
        helper.make_node("Sub", ["features", "mean"], ["centred"]),
        helper.make_node("Div", ["centred", "std"], ["scaled"]),
        helper.make_node("MatMul", ["scaled", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    ],
    "wdbc_logreg",
    [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", 30])],
    [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
    [numpy_helper.from_array(mean.astype(np.float32), "mean"), numpy_helper.from_array(std.astype(np.float32), "std"),
     numpy_helper.from_array(W, "W"), numpy_helper.from_array(b, "b")],
)
model = helper.make_model(graph, producer_name="ai4h-audit make_model.py", opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, here / "model.onnx")

holdout = [r for r in data if int(r[0].split("-")[1]) % 2 == 0]
Xh = np.array([[float(v) for v in r[1:31]] for r in holdout])
yh = np.array([int(r[31]) for r in holdout])
p = clf.predict_proba((Xh - mean) / std)[:, 1]
from sklearn.metrics import roc_auc_score
print(f"wrote model.onnx: trained on {len(train)} cases; hold-out AUROC on {len(holdout)} cases = {roc_auc_score(yh, p):.4f}")
