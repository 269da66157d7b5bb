"""Writes binary_metrics.json: reference values for the platform's binary metrics, computed independently.

Point estimates come from scikit-learn, Wilson intervals from statsmodels, the DeLong variance from a direct
O(m*n) implementation of DeLong et al. (1988)'s structural components (the platform uses Sun & Xu's fast
midrank algorithm instead), quantiles from NumPy. Run with Debian's python3 (python3-sklearn, python3-statsmodels):
    /usr/bin/python3 tests/Ai4h.Audit.Tests/Reference/make_binary_metrics.py
"""
import json
import pathlib

import numpy as np
import scipy
import sklearn
import statsmodels
from scipy.stats import norm
from sklearn import metrics
from statsmodels.stats.proportion import proportion_confint


def delong(scores, labels, level):
    pos = scores[labels == 1]
    neg = scores[labels == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    auc = psi.mean()
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    var = v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)
    half = norm.ppf(1 - (1 - level) / 2) * np.sqrt(var)
    return auc, var, max(0.0, auc - half), min(1.0, auc + half)


def scenario(name, scores, labels, threshold, level):
    pred = (scores >= threshold).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(labels, pred, labels=[0, 1]).ravel()
    auc, var, lo, hi = delong(scores, labels, level)
    alpha = 1 - level

    def wilson(k, n):
        lower, upper = proportion_confint(k, n, alpha=alpha, method="wilson")
        return [float(lower), float(upper)]

    return {
        "name": name, "threshold": threshold, "level": level,
        "scores": [float(s) for s in scores], "labels": [int(v) for v in labels],
        "expected": {
            "confusion": [int(tp), int(fp), int(tn), int(fn)],
            "auroc": float(auc), "auroc_variance": float(var), "auroc_ci": [float(lo), float(hi)],
            "auprc": float(metrics.average_precision_score(labels, scores)),
            "sensitivity": float(tp / (tp + fn)), "sensitivity_ci": wilson(tp, tp + fn),
            "specificity": float(tn / (tn + fp)), "specificity_ci": wilson(tn, tn + fp),
            "ppv": float(tp / (tp + fp)), "ppv_ci": wilson(tp, tp + fp),
            "npv": float(tn / (tn + fn)), "npv_ci": wilson(tn, tn + fn),
            "accuracy": float(metrics.accuracy_score(labels, pred)), "accuracy_ci": wilson(tp + tn, len(labels)),
            "f1": float(metrics.f1_score(labels, pred)),
            "mcc": float(metrics.matthews_corrcoef(labels, pred)),
            "kappa": float(metrics.cohen_kappa_score(labels, pred)),
            "brier": float(metrics.brier_score_loss(labels, scores)),
        },
    }


rng = np.random.RandomState(20261124)
n = 300
labels = (rng.rand(n) < 0.35).astype(int)
# Scores rounded to two decimals, so there are many ties (the hard case for AUROC and its variance).
tied = np.round(1 / (1 + np.exp(-(2.2 * labels - 1.1 + rng.randn(n)))), 2)
n2 = 157
labels2 = (rng.rand(n2) < 0.5).astype(int)
continuous = 1 / (1 + np.exp(-(1.5 * labels2 - 0.75 + 1.3 * rng.randn(n2))))
values = rng.randn(1001)

fixture = {
    "generator": "tests/Ai4h.Audit.Tests/Reference/make_binary_metrics.py",
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__},
    "scenarios": [
        scenario("tied scores, 35% prevalence, threshold 0.5, 95%", tied, labels, 0.5, 0.95),
        scenario("continuous scores, balanced, threshold 0.4, 90%", continuous, labels2, 0.4, 0.90),
    ],
    "quantiles": {"values": [float(v) for v in values],
                  "q": [0.025, 0.05, 0.5, 0.95, 0.975],
                  "expected": [float(x) for x in np.percentile(values, [2.5, 5, 50, 95, 97.5])]},
}
out = pathlib.Path(__file__).with_name("binary_metrics.json")
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
