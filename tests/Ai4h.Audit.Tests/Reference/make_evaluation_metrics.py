"""Writes evaluation_metrics.json: reference results for EvaluationCalculator, computed independently.

Each scenario is a complete calculator input (definition fields, case ids, raw labels, subgroup cells, float32 model
outputs) with the expected results, overall and per subgroup level:
  - scikit-learn: roc_auc_score (binary, and multi_class="ovr" macro), roc_curve(drop_intermediate=False),
    average_precision_score, confusion_matrix, f1_score (binary, macro, weighted), matthews_corrcoef,
    cohen_kappa_score, brier_score_loss, accuracy_score, balanced_accuracy_score, log_loss, r2_score,
    mean_absolute_error, mean_squared_error;
  - scipy.stats: pearsonr, spearmanr;
  - statsmodels: Logit for the calibration slope and intercept, proportion_confint for Wilson intervals;
  - NumPy: reliability bins and ECE, the multiclass Brier score, softmax/sigmoid of logits, and the percentile
    bootstrap (np.percentile, linear) over resamples drawn with the same SplitMix64 (seed, replicate) scheme as
    Bootstrap.cs, written here in Python, so bootstrap intervals can be compared exactly;
  - a direct O(m*n) DeLong (1988) variance for the AUROC interval.
Run with Debian's python3 (python3-sklearn, python3-scipy, python3-statsmodels):
    /usr/bin/python3 tests/Ai4h.Audit.Tests/Reference/make_evaluation_metrics.py
"""
import json
import pathlib
import warnings

import numpy as np
import scipy
import sklearn
import statsmodels
import statsmodels.api as sm
from scipy import stats
from scipy.special import expit
from sklearn import metrics
from statsmodels.stats.proportion import proportion_confint

warnings.simplefilter("ignore")

M64 = (1 << 64) - 1
MISSING = {"", "na", "n/a", "nan", "null"}


def resample(n, seed, replicate):
    """Bootstrap.Resample: SplitMix64 seeded with (uint32(seed) << 32) ^ replicate, Lemire's bounded draws."""
    state = (((seed & 0xFFFFFFFF) << 32) ^ replicate) & M64

    def next64():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    threshold = ((1 << 32) - n) % n
    out = []
    while len(out) < n:
        m = (next64() >> 32) * n
        if (m & 0xFFFFFFFF) >= threshold:
            out.append(m >> 32)
    return np.array(out, dtype=int)


def bootstrap(n, names, values_of, replicates, seed, level):
    samples = [values_of(resample(n, seed, r)) for r in range(replicates)]
    alpha = (1 - level) / 2
    out = {}
    for name in names:
        valid = np.array([s[name] for s in samples if s[name] is not None and np.isfinite(s[name])])
        out[name] = None if len(valid) == 0 else (
            float(np.percentile(valid, 100 * alpha)), float(np.percentile(valid, 100 * (1 - alpha))), len(valid))
    return out


def wilson(k, n, level):
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    return float(lo), float(hi)


def delong(s, y, level):
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    auc = psi.mean()
    var = psi.mean(axis=1).var(ddof=1) / len(pos) + psi.mean(axis=0).var(ddof=1) / len(neg)
    half = stats.norm.ppf(1 - (1 - level) / 2) * np.sqrt(var)
    return max(0.0, auc - half), min(1.0, auc + half)


def reliability(p, y):
    b = np.minimum(np.floor(p * 10).astype(int), 9)
    return [[k / 10, (k + 1) / 10, int((b == k).sum()),
             float(p[b == k].mean()) if (b == k).any() else None,
             float(y[b == k].mean()) if (b == k).any() else None] for k in range(10)]


def ece(p, y):
    return sum(n / len(p) * abs(obs - mean) for _, _, n, mean, obs in reliability(p, y) if n > 0)


def recalibration(p, y):
    if y.min() == y.max():
        return None, None
    x = np.log(np.clip(p, 1e-15, 1 - 1e-15) / (1 - np.clip(p, 1e-15, 1 - 1e-15)))
    # (Quasi-)complete separation: no finite maximum-likelihood slope. statsmodels raises PerfectSeparationError
    # only when the fit gets there; the rule is stated explicitly so the reference does not hang on that heuristic.
    if x[y == 0].max() <= x[y == 1].min() or x[y == 1].max() <= x[y == 0].min():
        return None, None
    try:
        fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0, maxiter=100, tol=1e-12)
    except Exception:
        return None, None
    if not fit.mle_retvals["converged"]:
        return None, None
    return float(fit.params[0]), float(fit.params[1])


def ratio(a, b):
    return None if b == 0 else float(a / b)


def binary_values(s, y, threshold, names):
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    both = 0 < y.sum() < len(y)
    probabilities = bool(np.all((s >= 0) & (s <= 1)))
    fns = {
        "auroc": lambda: float(metrics.roc_auc_score(y, s)) if both else None,
        "auprc": lambda: float(metrics.average_precision_score(y, s)) if y.sum() > 0 else None,
        "sensitivity": lambda: ratio(tp, tp + fn),
        "specificity": lambda: ratio(tn, tn + fp),
        "ppv": lambda: ratio(tp, tp + fp),
        "npv": lambda: ratio(tn, tn + fn),
        "accuracy": lambda: float(metrics.accuracy_score(y, pred)),
        "f1": lambda: float(metrics.f1_score(y, pred)) if 2 * tp + fp + fn > 0 else None,
        "mcc": lambda: float(metrics.matthews_corrcoef(y, pred)) if min(tp + fp, tp + fn, tn + fp, tn + fn) > 0 else None,
        "kappa": lambda: float(metrics.cohen_kappa_score(y, pred)),
        "brier": lambda: float(metrics.brier_score_loss(y, s)) if probabilities else None,
        "ece": lambda: float(ece(s, y)) if probabilities else None,
        "calibration_slope": lambda: recalibration(s, y)[1] if probabilities else None,
        "calibration_intercept": lambda: recalibration(s, y)[0] if probabilities else None,
    }
    return {name: fns[name]() for name in names}


BINARY = ["auroc", "auprc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "f1", "mcc", "kappa", "brier",
          "ece", "calibration_slope", "calibration_intercept"]
MULTICLASS = ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "macro_auroc", "log_loss", "brier"]
REGRESSION = ["mae", "rmse", "r2", "pearson", "spearman"]


def multiclass_values(p, y, classes, names):
    pred = p.argmax(axis=1)

    def macro_auroc():
        if len(np.unique(y)) < classes:
            return None
        return float(metrics.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=list(range(classes))))

    onehot = np.eye(classes)[y]
    fns = {
        "accuracy": lambda: float(metrics.accuracy_score(y, pred)),
        "balanced_accuracy": lambda: float(metrics.balanced_accuracy_score(y, pred)),
        "macro_f1": lambda: float(metrics.f1_score(y, pred, average="macro")),
        "weighted_f1": lambda: float(metrics.f1_score(y, pred, average="weighted")),
        "macro_auroc": macro_auroc,
        "log_loss": lambda: float(metrics.log_loss(y, p, labels=list(range(classes)))),
        "brier": lambda: float(((p - onehot) ** 2).sum(axis=1).mean()),
    }
    return {name: fns[name]() for name in names}


def regression_values(pred, y, names):
    constant_pred, constant_y = pred.min() == pred.max(), y.min() == y.max()
    fns = {
        "mae": lambda: float(metrics.mean_absolute_error(y, pred)),
        "rmse": lambda: float(np.sqrt(metrics.mean_squared_error(y, pred))),
        "r2": lambda: None if constant_y else float(metrics.r2_score(y, pred)),
        "pearson": lambda: None if constant_pred or constant_y else float(stats.pearsonr(pred, y)[0]),
        "spearman": lambda: None if constant_pred or constant_y else float(stats.spearmanr(pred, y).correlation),
    }
    return {name: fns[name]() for name in names}


def evaluate(scenario, values_of, standard, cases):
    """The metric dictionary on some cases, with the interval policy of EvaluationCalculator."""
    d = scenario["definition"]
    ci = d["confidenceInterval"]
    level = ci["level"]
    point = values_of(cases, standard)
    out = {}
    boot = {}
    if ci["method"] == "Bootstrap":
        wanted = [m for m in d["metrics"] if point[m] is not None]
        boot = bootstrap(len(cases), wanted, lambda sample: values_of(cases[sample], wanted),
                         ci["bootstrapReplicates"], ci["seed"], level)
    for name in standard:
        v = point[name]
        entry = {"value": v, "ci_lower": None, "ci_upper": None, "valid_replicates": None}
        if v is not None and name in boot:
            if boot[name] is not None:
                entry.update(ci_lower=boot[name][0], ci_upper=boot[name][1], valid_replicates=boot[name][2])
            else:
                entry.update(valid_replicates=0)
        elif v is not None and "proportion_counts" in scenario and name in ("sensitivity", "specificity", "ppv", "npv", "accuracy"):
            k, n = scenario["proportion_counts"](cases)[name]
            entry.update(zip(("ci_lower", "ci_upper"), wilson(k, n, level)))
        elif v is not None and name == "accuracy" and "accuracy_counts" in scenario:
            k, n = scenario["accuracy_counts"](cases)
            entry.update(zip(("ci_lower", "ci_upper"), wilson(k, n, level)))
        elif v is not None and name == "auroc":
            entry.update(zip(("ci_lower", "ci_upper"), scenario["delong"](cases, level)))
        out[name] = entry
    return out


def levels(cells):
    present = sorted({c.strip() for c in cells if c.strip().lower() not in MISSING})
    keyed = [c.strip() if c.strip().lower() not in MISSING else "(missing)" for c in cells]
    if any(k == "(missing)" for k in keyed):
        present.append("(missing)")
    return [(lv, np.array([i for i, k in enumerate(keyed) if k == lv])) for lv in present]


def finish(scenario, values_of, standard, extra):
    n = len(scenario["labels"])
    everyone = np.arange(n)
    expected = {"metrics": evaluate(scenario, values_of, standard, everyone), "subgroups": []}
    for column in scenario["definition"]["subgroupColumns"]:
        expected["subgroups"].append({"column": column, "levels": [
            {"level": lv, "cases": len(idx), "metrics": evaluate(scenario, values_of, standard, idx), **extra(idx)}
            for lv, idx in levels(scenario["subgroups"][column])]})
    expected.update(extra(everyone, overall=True))
    for key in ("proportion_counts", "accuracy_counts", "delong"):
        scenario.pop(key, None)
    scenario["expected"] = expected
    return scenario


def definition(task, metrics_, ci, subgroups, positive=None, threshold=None):
    return {"taskType": task, "positiveClass": positive, "decisionThreshold": threshold, "metrics": metrics_,
            "confidenceInterval": ci, "subgroupColumns": subgroups}


def f32(a):
    return np.asarray(a, dtype=np.float32)


def binary_scenario(name, outputs, width, kind, positive_index, y, label_names, cells, d):
    pos_label, neg_label = label_names
    out64 = outputs.astype(np.float64).reshape(len(y), width)
    if kind == "Logits" and width == 1:
        s = expit(out64[:, 0])
    elif kind == "Logits":
        e = np.exp(out64 - out64.max(axis=1, keepdims=True))
        s = (e / e.sum(axis=1, keepdims=True))[:, positive_index]
    else:
        s = out64[:, 0 if width == 1 else positive_index]
    threshold = d["decisionThreshold"]

    def counts(idx):
        pred = (s[idx] >= threshold).astype(int)
        tn, fp, fn, tp = metrics.confusion_matrix(y[idx], pred, labels=[0, 1]).ravel()
        return {"sensitivity": (tp, tp + fn), "specificity": (tn, tn + fp), "ppv": (tp, tp + fp),
                "npv": (tn, tn + fn), "accuracy": (tp + tn, len(idx))}

    def extra(idx, overall=False):
        pred = (s[idx] >= threshold).astype(int)
        tn, fp, fn, tp = metrics.confusion_matrix(y[idx], pred, labels=[0, 1]).ravel()
        cm = {"confusion": [int(tp), int(fp), int(tn), int(fn)]}
        if not overall:
            return cm
        fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=False)
        return {"binary": {**cm, "calibration": reliability(s, y),
                           "roc": [[float(a), float(b), float(t)] for a, b, t in zip(fpr, tpr, thr)]}}

    scenario = {
        "name": name, "definition": d, "caseIds": [f"c{i:04d}" for i in range(len(y))],
        "labels": [pos_label if v else neg_label for v in y], "subgroups": cells,
        "outputs": [float(v) for v in outputs.ravel()], "outputWidth": width, "outputKind": kind,
        "positiveClassIndex": positive_index,
        "proportion_counts": counts, "delong": lambda idx, level: delong(s[idx], y[idx], level),
    }
    return finish(scenario, lambda idx, names: binary_values(s[idx], y[idx], threshold, names), BINARY, extra)


def multiclass_scenario(name, logits, y, classes, cells, d):
    x = logits.astype(np.float64)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)

    def extra(idx, overall=False):
        cm = metrics.confusion_matrix(y[idx], p[idx].argmax(axis=1), labels=list(range(classes)))
        result = {"multiclass_confusion": cm.tolist()}
        if overall:
            pred = p.argmax(axis=1)
            result["per_class"] = [{
                "sensitivity": float(((pred == k) & (y == k)).sum() / (y == k).sum()),
                "specificity": float(((pred != k) & (y != k)).sum() / (y != k).sum())} for k in range(classes)]
        return result

    scenario = {
        "name": name, "definition": d, "caseIds": [f"m{i:04d}" for i in range(len(y))],
        "labels": [str(v) for v in y], "subgroups": cells, "outputs": [float(v) for v in logits.ravel()],
        "outputWidth": classes, "outputKind": "Logits", "positiveClassIndex": None,
        "accuracy_counts": lambda idx: (int((p[idx].argmax(axis=1) == y[idx]).sum()), len(idx)),
    }
    return finish(scenario, lambda idx, names: multiclass_values(p[idx], y[idx], classes, names), MULTICLASS, extra)


def regression_scenario(name, predictions, y, cells, d):
    pred = predictions.astype(np.float64)
    scenario = {
        "name": name, "definition": d, "caseIds": [f"r{i:04d}" for i in range(len(y))],
        "labels": [repr(float(v)) for v in y], "subgroups": cells, "outputs": [float(v) for v in predictions],
        "outputWidth": 1, "outputKind": "RegressionValue", "positiveClassIndex": None,
    }
    return finish(scenario, lambda idx, names: regression_values(pred[idx], y[idx], names), REGRESSION,
                  lambda idx, overall=False: {})


rng = np.random.RandomState(20260315)

# Binary 1: probabilities rounded to two decimals (ties), a three-level subgroup with missing cells, bootstrap.
n = 300
y1 = (rng.rand(n) < 0.4).astype(int)
p1 = f32(np.round(expit(1.8 * y1 - 0.9 + 0.9 * rng.randn(n) + 0.3), 2))
sex = rng.choice(["F", "M", "", "NA"], size=n, p=[0.45, 0.45, 0.05, 0.05]).tolist()
d1 = definition("BinaryClassification", ["auroc", "sensitivity", "specificity", "f1", "brier", "ece", "calibration_slope"],
                {"method": "Bootstrap", "level": 0.95, "bootstrapReplicates": 400, "seed": 20260315},
                ["sex"], positive="yes", threshold=0.5)

# Binary 2: two logit columns, the positive class first, analytic intervals (DeLong and Wilson) at 90%.
n2 = 180
y2 = (rng.rand(n2) < 0.5).astype(int)
logits2 = f32(np.column_stack([1.2 * y2 + 0.8 * rng.randn(n2), 0.4 * rng.randn(n2)]))
site2 = rng.choice(["north", "south"], size=n2).tolist()
d2 = definition("BinaryClassification", ["auroc", "sensitivity", "specificity", "ppv", "npv", "accuracy"],
                {"method": "Wilson", "level": 0.90, "bootstrapReplicates": None, "seed": None},
                ["site"], positive="malignant", threshold=0.4)

# Multiclass: four classes from logits, a subgroup, bootstrap at 90%.
n3 = 240
y3 = rng.choice(4, size=n3, p=[0.4, 0.3, 0.2, 0.1])
logits3 = f32(np.round(1.5 * np.eye(4)[y3] + rng.randn(n3, 4), 1))
site3 = rng.choice(["A", "B", "C"], size=n3).tolist()
d3 = definition("MulticlassClassification", ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "macro_auroc", "log_loss", "brier"],
                {"method": "Bootstrap", "level": 0.90, "bootstrapReplicates": 300, "seed": 7}, ["site"])

# Regression: predictions rounded to one decimal (ties for Spearman), a subgroup with missing cells, bootstrap.
n4 = 160
truth4 = np.round(50 + 10 * rng.randn(n4), 3)
pred4 = f32(np.round(truth4 + 6 * rng.randn(n4), 1))
band4 = rng.choice(["<40", "40-65", ">65", "N/A"], size=n4, p=[0.3, 0.35, 0.3, 0.05]).tolist()
d4 = definition("Regression", ["mae", "rmse", "r2", "pearson", "spearman"],
                {"method": "Bootstrap", "level": 0.95, "bootstrapReplicates": 300, "seed": 99}, ["age_band"])

fixture = {
    "generator": "tests/Ai4h.Audit.Tests/Reference/make_evaluation_metrics.py",
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__,
                 "statsmodels": statsmodels.__version__},
    "scenarios": [
        binary_scenario("binary probabilities with ties, bootstrap 95%", p1, 1, "Probabilities", None, y1, ("yes", "no"),
                        {"sex": sex}, d1),
        binary_scenario("binary two logit columns, positive first, DeLong/Wilson 90%", logits2, 2, "Logits", 0, y2,
                        ("malignant", "benign"), {"site": site2}, d2),
        multiclass_scenario("four classes from logits, bootstrap 90%", logits3, y3, 4, {"site": site3}, d3),
        regression_scenario("regression with tied predictions, bootstrap 95%", pred4, truth4, {"age_band": band4}, d4),
    ],
}
out = pathlib.Path(__file__).with_name("evaluation_metrics.json")
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
