"""The demo's walk through the Api, using only the Python standard library (urllib), as any client could."""
import csv
import hashlib
import json
import pathlib
import sys
import time
import urllib.error
import urllib.request
import uuid

base, admin_key, csv_path = sys.argv[1], sys.argv[2], sys.argv[3]


def call(method, path, key, body=None, form=None):
    headers = {"Authorization": f"Bearer {key}"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in form.items():
            if isinstance(value, tuple):
                filename, content = value
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                             f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
            else:
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read().decode() or "null")


def must(expected, result):
    status, body = result
    if status != expected:
        sys.exit(f"expected HTTP {expected}, got {status}: {json.dumps(body, indent=2)}")
    return body


def step(text):
    print(f"\n\033[1m== {text}\033[0m")


def account(user_name, printed_name, organisation, roles):
    """Finds or opens an account and returns an API key for this run (keys are shown once, so re-runs issue a new one)."""
    users = must(200, call("GET", "/api/users", admin_key))
    existing = next((u for u in users if u["userName"] == user_name), None)
    if existing is None:
        created = must(201, call("POST", "/api/users", admin_key, {
            "userName": user_name, "printedName": printed_name, "organisation": organisation, "roles": roles}))
        print(f"  opened {user_name:<16} {', '.join(roles)}")
        return created["userId"], created["apiKey"]
    issued = must(200, call("POST", f"/api/users/{existing['userId']}/api-keys", admin_key, {"label": f"demo run {time.strftime('%Y-%m-%d %H:%M:%S')}"}))
    print(f"  {user_name:<16} exists; issued a key for this run")
    return existing["userId"], issued["apiKey"]


step("An administrator opens the accounts the demo uses")
_, steward_key = account("demo.steward", "Demo Data Steward", "Demo Hospital Data Office", ["DataSteward"])
readers = [account(f"demo.reader{i}", f"Demo Reader {i}", "Demo Pathology", ["Annotator"]) for i in (1, 2, 3)]
arbiter_id, arbiter_key = account("demo.arbiter", "Demo Arbitrating Pathologist", "Demo Pathology", ["Annotator"])
_, auditor_key = account("demo.auditor", "Demo Data Auditor", "Demo Notified Body", ["Auditor"])
_, developer_key = account("demo.developer", "Demo Model Developer", "Demo AI Ltd", ["ModelDeveloper"])

NAME = "Wisconsin Diagnostic Breast Cancer (WDBC)"
existing = [d for d in must(200, call("GET", "/api/datasets", steward_key)) if d["name"] == NAME]
if existing:
    step("The data set is registered already (an earlier demo run): the steward uploads the same file again")
    dataset = {"datasetId": existing[0]["id"]}
else:
  step("The steward registers a real public data set")
  dataset = must(201, call("POST", "/api/datasets", steward_key, {
    "name": NAME,
    "description": "569 fine-needle aspirates of breast masses, 30 nuclear features each, diagnosis confirmed.",
    "owner": "UCI Machine Learning Repository (Wolberg, Street, Mangasarian)",
    "intendedUse": "Held-out test data for benchmarking malignancy classifiers from FNA cytology features",
    "licence": "CC BY 4.0",
    "modality": "tabular (cytology image features)",
    "task": "binary classification: malignant (1) vs benign (0)"}))
print(f"dataset {dataset['datasetId']}")

step("The steward uploads a version")
with open(csv_path, "rb") as f:
    content = f.read()
version = must(201, call("POST", f"/api/datasets/{dataset['datasetId']}/versions", steward_key,
                         form={"file": ("wdbc.csv", content), "reason": "Release of the WDBC test set for benchmarking"}))
local_sha = hashlib.sha256(content).hexdigest()
print(f"version {version['version']}: {version['rowCount']} rows, {version['sizeBytes']} bytes"
      + (" (identical bytes were stored before: kept once, content-addressed)" if version["contentAlreadyStored"] else ""))
print(f"SHA-256 recorded: {version['sha256']}")
print(f"SHA-256 computed here: {local_sha}  ({'match' if local_sha == version['sha256'] else 'MISMATCH'})")
if local_sha != version["sha256"]:
    sys.exit("the recorded hash does not match the file")

meta = must(200, call("GET", version["url"], steward_key))
print("schema: " + ", ".join(f"{c['name']}:{c['type']}" for c in meta["columns"][:6]) + f", … ({len(meta['columns'])} columns)")

step("The Runner, a separate process, reads the stored bytes back and records its verdict")
for _ in range(120):
    checked = must(200, call("GET", version["url"], steward_key))
    if checked["verification"] != "Pending":
        break
    time.sleep(0.5)
print(f"version {checked['version']}: {checked['verification']}" + (f" ({checked['verificationProblem']})" if checked.get("verificationProblem") else ""))
if checked["verification"] != "Verified":
    sys.exit("the Runner did not verify the upload; see .local/runner.log")

step("The data set's recorded history (every event: sequence, server time UTC, actor, type, why)")
history = must(200, call("GET", f"/api/datasets/{dataset['datasetId']}/history", steward_key))
for e in history:
    detail = f" v{e['data']['version']} sha256={e['data']['sha256']}" if "sha256" in e["data"] else ""
    reason = f" reason=\"{e['reason']}\"" if e.get("reason") else ""
    print(f"#{e['sequence']:<5} {e['recordedAt']}  {e['actor']:<14} {e['type']}{reason}{detail}")
upload = next(e for e in reversed(history) if e["type"] == "dataset_version_uploaded")
last = dict(upload, data={k: v for k, v in upload["data"].items() if k != "columns"})
last["data"]["columns"] = f"({len(upload['data']['columns'])} column profiles omitted here)"
print("\nThe upload event as recorded (JSON):")
print(json.dumps(last, indent=2))


step("The steward uploads the hold-out version: the cases the demo model never saw in training (data/wdbc/make_holdout.py)")
holdout_path = pathlib.Path(csv_path).parent / "wdbc-holdout.csv"
holdout = must(201, call("POST", f"/api/datasets/{dataset['datasetId']}/versions", steward_key,
                         form={"file": ("wdbc-holdout.csv", holdout_path.read_bytes()),
                               "reason": "Hold-out test set: even-numbered cases, never used in training, with a nuclear size band"}))
print(f"version {holdout['version']}: {holdout['rowCount']} rows, SHA-256 {holdout['sha256']}")

step("The steward defines a benchmark on this exact version (its SHA-256 is pinned)")
feature_columns = [c["name"] for c in meta["columns"] if c["name"] not in ("case_id", "diagnosis")]
benchmark = must(201, call("POST", "/api/benchmarks", steward_key, {
    "name": "WDBC malignancy classification",
    "clinicalTask": "Classify a breast mass as malignant or benign from FNA cytology features",
    "taskType": "BinaryClassification",
    "datasetId": dataset["datasetId"], "datasetVersion": holdout["version"],
    "caseIdColumn": "case_id", "labelColumn": "diagnosis", "featureColumns": feature_columns,
    "subgroupColumns": ["nuclear_size"], "positiveClass": "1", "decisionThreshold": 0.5,
    "metrics": ["auroc", "sensitivity", "specificity", "ppv", "npv", "brier"],
    "confidenceInterval": {"method": "Bootstrap", "level": 0.95, "bootstrapReplicates": 2000, "seed": 20261124},
    "acceptanceCriteria": [
        {"metric": "auroc", "bound": "LowerBound", "comparison": "AtLeast", "threshold": 0.95},
        {"metric": "sensitivity", "bound": "Estimate", "comparison": "AtLeast", "threshold": 0.90,
         "everySubgroupOf": "nuclear_size", "minSubgroupCases": 30}],
    "hideRows": True,
    "reason": "Demo benchmark on the WDBC hold-out test set"}))
view = must(200, call("GET", f"/api/benchmarks/{benchmark['benchmarkId']}", developer_key))
print(f"benchmark {benchmark['benchmarkId']} v{view['version']}: {len(feature_columns)} features, label '{view['definition']['labelColumn']}'")
print("acceptance criteria: " + "; ".join(view["acceptanceCriteriaText"]))

step("Sequestration: the developer reads the definition but not the test data; an auditor's read is recorded")
status, problem = call("GET", f"/api/benchmarks/{benchmark['benchmarkId']}/versions/1/test-data?purpose=peek", developer_key)
print(f"developer asks for the labelled test set -> HTTP {status}: {problem['detail']}")
status, _ = call("GET", f"/api/benchmarks/{benchmark['benchmarkId']}/versions/1/cases?purpose=peek", developer_key)
print(f"developer asks for the cases (rows hidden by this benchmark) -> HTTP {status}")
request = urllib.request.Request(base + f"/api/benchmarks/{benchmark['benchmarkId']}/versions/1/test-data?purpose=Audit%20of%20data%20provenance",
                                 headers={"Authorization": f"Bearer {auditor_key}"})
with urllib.request.urlopen(request) as response:
    downloaded = response.read()
print(f"auditor downloads the test set: {len(downloaded)} bytes, SHA-256 {'matches' if hashlib.sha256(downloaded).hexdigest() == holdout['sha256'] else 'DOES NOT MATCH'}")
usage = must(200, call("GET", f"/api/benchmarks/{benchmark['benchmarkId']}/usage", auditor_key))
print(f"test-set usage on record: {usage['totalReads']} read(s), {usage['labelReads']} with labels")

step("A small annotation campaign: three blinded readers, an arbitrator, a reference standard")
with open(csv_path, newline="") as f:
    table = list(csv.reader(f))
# Four malignant and four benign cases, so that chance agreement does not swamp kappa.
malignant = [row[0] for row in table[1:] if row[-1] == "1"][:4]
benign = [row[0] for row in table[1:] if row[-1] == "0"][:4]
truth = {**{c: "malignant" for c in malignant}, **{c: "benign" for c in benign}}
cases = list(truth)
campaign = must(201, call("POST", "/api/campaigns", steward_key, {
    "name": "WDBC second reading (demo)", "datasetId": dataset["datasetId"], "datasetVersion": version["version"],
    "caseIdColumn": "case_id", "caseIds": cases, "classes": ["benign", "malignant"],
    "annotators": [r[0] for r in readers], "readersPerCase": 3, "arbitrator": arbiter_id,
    "referenceColumn": "reference_diagnosis"}))
flip = {"benign": "malignant", "malignant": "benign"}
for i, (reader_id, reader_key) in enumerate(readers):
    for j, case in enumerate(cases):
        value = flip[truth[case]] if (i, j) in {(1, 2), (2, 5)} else truth[case]  # two honest disagreements
        must(201, call("POST", f"{campaign['url']}/labels", reader_key, {"caseId": case, "value": value}))
seen = must(200, call("GET", campaign["url"], readers[1][1]))
print(f"reader 2 sees {sum(len(c['labels']) for c in seen['caseDetails'])} labels: only their own (blinded)")
state = must(200, call("GET", campaign["url"], auditor_key))
agreement = state["agreement"]
print(f"{state['casesComplete']} cases read by 3 readers; {state['disagreements']} disagreement(s); "
      f"Fleiss' kappa = {agreement['kappa']:.3f} (observed agreement {agreement['observedAgreement']:.3f})")
for case in [c for c in state["caseDetails"] if c["disagreement"]]:
    must(201, call("POST", f"{campaign['url']}/adjudications", arbiter_key,
                   {"caseId": case["caseId"], "value": truth[case["caseId"]], "rationale": "Reviewed against the pathology report"}))
    print(f"arbitrator adjudicated {case['caseId']} as {truth[case['caseId']]}")
closed = must(200, call("POST", f"{campaign['url']}/close", steward_key, {"reason": "All cases read and adjudicated"}))
print(f"reference standard: data set version {closed['referenceVersion']}, SHA-256 {closed['sha256']}")
history = must(200, call("GET", f"{campaign['url']}/history", auditor_key))
provenance = history[-1]["data"]["provenance"]
print(f"provenance: {len(provenance)} cases, {sum(len(p['eventIds']) for p in provenance)} label/adjudication events cited, "
      f"{sum(1 for p in provenance if p['basis'] == 'adjudicated')} adjudicated")

step("A model developer submits an ONNX model for the benchmark (checked by ONNX Runtime before it is recorded)")
model_dir = pathlib.Path(csv_path).parent.parent / "models" / "wdbc-logreg"
manifest = json.loads((model_dir / "manifest.json").read_text())
manifest["benchmarkId"] = benchmark["benchmarkId"]
model_bytes = (model_dir / "model.onnx").read_bytes()
bad = dict(manifest, inputTensor="input")
status, problem = call("POST", "/api/submissions", developer_key, form={"model": ("model.onnx", model_bytes), "manifest": json.dumps(bad)})
print(f"with a wrong input tensor name -> HTTP {status}: {problem['detail']}")
submitted = must(201, call("POST", "/api/submissions", developer_key,
                           form={"model": ("model.onnx", model_bytes), "manifest": json.dumps(manifest)}))
signature = submitted["signature"]
print(f"submission {submitted['submissionId']}: SHA-256 {submitted['modelSha256']}")
print(f"ONNX Runtime {signature['onnxRuntimeVersion']}: input {signature['inputTensor']} {signature['inputShape']}, "
      f"output {signature['outputTensor']} {signature['outputShape']}, dry run -> {signature['dryRunOutputShape']}")


step("The developer asks for an evaluation; the Runner scores the sequestered cases with ONNX Runtime")
requested = must(202, call("POST", f"/api/submissions/{submitted['submissionId']}/evaluations", developer_key,
                           {"reason": "First evaluation of version 1.0.0 on the hold-out benchmark"}))
url = requested["url"]
last = None
for _ in range(600):
    evaluation = must(200, call("GET", url, developer_key))
    shown = (evaluation["status"], evaluation["casesDone"], evaluation.get("stage"))
    if shown != last:
        print(f"  {evaluation['status']:<9} {evaluation['casesDone']}/{evaluation['casesTotal']} cases  {evaluation.get('stage') or ''}")
        last = shown
    if evaluation["status"] in ("Completed", "Failed"):
        break
    time.sleep(0.5)
if evaluation["status"] != "Completed":
    sys.exit(f"the evaluation did not complete: {evaluation.get('failureReason')}; see .local/runner.log")

results = evaluation["results"]
ci = view["definition"]["confidenceInterval"]
print(f"\nMetrics on {results['cases']} cases ({ci['level']:.0%} intervals; bootstrap {ci['bootstrapReplicates']} replicates, seed {ci['seed']}):")


def show(name, m):
    if m.get("value") is None:
        return f"{name:<22} undefined ({m.get('note')})"
    interval = f"  [{m['ci_lower']:.4f}, {m['ci_upper']:.4f}] {m['method']}" if m.get("ci_lower") is not None else f"  ({m['method']})"
    return f"{name:<22} {m['value']:.4f}{interval}"


# The benchmark's own metrics first (they carry its intervals), then the rest of the standard set.
requested = view["definition"]["metrics"]
for name in requested + sorted(set(results["metrics"]) - set(requested)):
    print("  " + show(name, results["metrics"][name]))
print("\nSubgroups:")
for group in results["subgroups"]:
    for level in group["levels"]:
        print(f"  {group['column']} = {level['level']} ({level['cases']} cases)")
        for name in ("auroc", "sensitivity", "specificity"):
            print("    " + show(name, level["metrics"][name]))
print("\nAcceptance criteria:")
for v in results["verdicts"]:
    print(f"  {'PASS' if v['passed'] else 'FAIL'}  {v['criterion']}")
    if v.get("judged") is not None:
        print(f"        judged on {v['judged']:.4f}")
    for level in v["levels"]:
        value = "undefined" if level.get("judged") is None else f"{level['judged']:.4f}"
        print(f"        {level['level']:<8} {level['cases']:>4} cases  judged on {value}  {'pass' if level['passed'] else 'fail'}")
    for level in v["excluded"]:
        print(f"        {level['level']:<8} {level['cases']:>4} cases  excluded (below the minimum)")
    if v.get("reason"):
        print(f"        {v['reason']}")
print(f"overall: {'every criterion met' if evaluation['passed'] else 'NOT every criterion met'}")

p = evaluation["provenance"]
print("\nReproducibility record (EvaluationCompleted):")
for key in ("modelSha256", "datasetSha256", "benchmarkVersion", "runnerVersion", "onnxRuntimeVersion", "machine", "seed",
            "startedAt", "finishedAt", "predictionsSha256"):
    print(f"  {key:<20} {p[key]}")
request = urllib.request.Request(base + url + "/predictions", headers={"Authorization": f"Bearer {auditor_key}"})
with urllib.request.urlopen(request) as response:
    predictions = response.read()
print(f"auditor downloads the per-case predictions: {len(predictions)} bytes, SHA-256 "
      f"{'matches the record' if hashlib.sha256(predictions).hexdigest() == p['predictionsSha256'] else 'DOES NOT MATCH'}")

step("An audit: the lead opens it on the FG-AI4H default checklist; each discipline's auditor answers with evidence")
PASSWORD = "demo signing passphrase 2026"
lead_id, lead_key = account("demo.lead", "Demo Audit Lead", "Demo Notified Body", ["AuditLead"])
aiml_id, aiml_key = account("demo.aiml", "Demo AI/ML Auditor", "Demo Notified Body", ["Auditor"])
clinical_id, clinical_key = account("demo.clinical", "Demo Clinical Auditor", "Demo Notified Body", ["Auditor"])
regulator_id, regulator_key = account("demo.regulator", "Demo Regulator", "Demo Medicines Agency", ["Regulator"])
auditor_id = next(u for u in must(200, call("GET", "/api/users", admin_key)) if u["userName"] == "demo.auditor")["userId"]
# The developer, steward and first reader get one too, only so that they can sign in to the web application.
for key in (lead_key, auditor_key, aiml_key, clinical_key, regulator_key, developer_key, steward_key, readers[0][1]):
    status, _ = call("POST", "/api/users/me/password", key, {"newPassword": PASSWORD})
    if status not in (204, 400):  # 400: set in an earlier run (a change would need the current password)
        sys.exit(f"could not set a password: HTTP {status}")

template_path = pathlib.Path(csv_path).parent.parent / "checklists" / "fg-ai4h-default-v1.json"
req = urllib.request.Request(base + "/api/checklist-templates?reason=Default%20FG-AI4H%20checklist", data=template_path.read_bytes(), method="POST",
                             headers={"Authorization": f"Bearer {lead_key}", "Content-Type": "application/json"})
try:
    with urllib.request.urlopen(req) as response:
        print(f"published checklist template: {json.loads(response.read())['contentSha256']}")
except urllib.error.HTTPError as e:
    if e.code != 409:
        sys.exit(f"could not publish the template: HTTP {e.code} {e.read().decode()}")
    print("checklist template fg-ai4h-default v1 was published in an earlier run")
template = next(t for t in must(200, call("GET", "/api/checklist-templates", lead_key)) if t["key"] == "fg-ai4h-default" and t["version"] == 1)
items = must(200, call("GET", f"/api/checklist-templates/{template['id']}", lead_key))["template"]["items"]

audit = must(201, call("POST", f"/api/submissions/{submitted['submissionId']}/audits", lead_key,
                       {"templateId": template["id"], "reason": "Pre-market audit of WDBC logistic regression 1.0.0"}))
audit_url = audit["url"]
team = {"Data": (auditor_id, auditor_key, "demo.auditor"), "AiMl": (aiml_id, aiml_key, "demo.aiml"),
        "Clinical": (clinical_id, clinical_key, "demo.clinical"), "Ethics": (clinical_id, clinical_key, "demo.clinical"),
        "Regulatory": (lead_id, lead_key, "demo.lead")}
for discipline, (user_id, _, name) in team.items():
    must(200, call("POST", f"{audit_url}/assignments", lead_key, {"discipline": discipline, "auditorId": user_id}))
print(f"audit {audit['auditId']} on template {template['key']} v{template['version']} ({len(items)} items); "
      f"auditors: {', '.join(f'{d} = {n}' for d, (_, _, n) in team.items())}")

evidence = [{"kind": "Evaluation", "id": url.split("/")[-1]}, {"kind": "DatasetVersion", "id": dataset["datasetId"], "version": holdout["version"]},
            {"kind": "Submission", "id": submitted["submissionId"]}, {"kind": "AnnotationCampaign", "id": campaign["url"].split("/")[-1]}]
not_assessed = {"F5": "Robustness to unseen sites or devices was not tested: single-site tabular data",
                "F8": "No comparator arm in this demo", "G1": "The human-AI team was not evaluated in this demo"}
failed = [v for v in results["verdicts"] if not v["passed"]]
for item in items:
    _, key, _ = team[item["discipline"]]
    if item["id"] == "F7" and failed:
        answer, rationale = "NotMet", "Failed: " + "; ".join(v["criterion"] + (f" ({v['reason']})" if v.get("reason") else "") for v in failed)
    elif item["id"] in not_assessed:
        answer, rationale = "NotApplicable", not_assessed[item["id"]]
    else:
        answer, rationale = "Met", "Checked against the linked evidence"
    must(200, call("POST", f"{audit_url}/items/{item['id']}/answers", key,
                   {"answer": answer, "rationale": rationale, "evidence": evidence if item["evidenceRequired"] else []}))
print(f"all {len(items)} items answered; F7 (acceptance criteria): {'NotMet' if failed else 'Met'}")

if failed:
    must(200, call("POST", f"{audit_url}/findings", lead_key, {"itemId": "F7", "severity": "Minor",
                                                            "text": "Sensitivity below 0.90 for small nuclei; how will this be mitigated?"}))
    finding = must(200, call("GET", audit_url, lead_key))["findings"][-1]
    must(200, call("POST", f"{audit_url}/findings/{finding['id']}/responses", developer_key,
                   {"response": "Labelling restricts use to second reading; a post-market study will monitor small-nucleus sensitivity"}))
    must(200, call("POST", f"{audit_url}/findings/{finding['id']}/closure", lead_key, {"resolution": "Accepted as a condition of approval"}))
    print("a minor finding on F7 was raised, answered by the developer and closed by the lead")

step("Signatures (21 CFR Part 11): each signer re-authenticates with user name and password in the request")
status, problem = call("POST", f"{audit_url}/items/C1/signatures", auditor_key, {"userName": "demo.auditor", "password": "not the password", "meaning": "Reviewed"})
print(f"a signature with a wrong password -> HTTP {status}: {problem['title']} (recorded as a security event)")
for item in items:
    _, key, name = team[item["discipline"]]
    must(200, call("POST", f"{audit_url}/items/{item['id']}/signatures", key, {"userName": name, "password": PASSWORD, "meaning": "Reviewed"}))
must(200, call("POST", f"{audit_url}/signoff", lead_key, {"userName": "demo.lead", "password": PASSWORD, "meaning": "Approved"}))
must(200, call("POST", f"{audit_url}/decisions", regulator_key, {
    "userName": "demo.regulator", "password": PASSWORD, "outcome": "ApprovedWithConditions" if failed else "Approved",
    "reasoning": "Discrimination meets its criterion; sensitivity for small nuclei does not, so use is limited to second reading "
                 "with post-market monitoring" if failed else "Every acceptance criterion met on the sequestered test data",
    "evidence": [{"kind": "Evaluation", "id": url.split("/")[-1]}, {"kind": "Submission", "id": submitted["submissionId"]}]}))
why = must(200, call("GET", f"/api/submissions/{submitted['submissionId']}/why", regulator_key))
decision = why["decision"]
print(f"decision: {decision['outcome']} by {decision['printedName']}: {decision['reasoning']}")
signers = {}
for sig in why["signatures"]:
    signers.setdefault((sig["printedName"], sig["meaning"]), []).append(sig)
for (name, meaning), sigs in signers.items():
    print(f"  {name:<24} {meaning:<9} {len(sigs):>2} signature(s), last at {sigs[-1]['signedAt']}")
print(f"why was it approved? {len(why['answers'])} answers, {len(why['signatures'])} signatures, "
      f"{len(why['evaluations'])} evaluation(s), nothing missing: {not why['missing']}")

step("The dossier: the whole story of the submission, built from the events, exported as PDF (the export is recorded)")
request = urllib.request.Request(base + f"/api/submissions/{submitted['submissionId']}/dossier/export?format=pdf&purpose=Demo",
                                 headers={"Authorization": f"Bearer {regulator_key}"})
with urllib.request.urlopen(request) as response:
    pdf = response.read()
pdf_path = pathlib.Path(".local") / "dossier.pdf"
pdf_path.write_bytes(pdf)
dossier = must(200, call("GET", f"/api/submissions/{submitted['submissionId']}/dossier", regulator_key))
print(f"dossier SHA-256 {dossier['contentSha256']} (events up to {dossier['reflectsSequence']}); PDF of {len(pdf)} bytes written to {pdf_path.resolve()}")
trace = must(200, call("GET", f"{url}/trace?metric=auroc", regulator_key))
print("where AUROC comes from: " + " <- ".join(link["what"] + ("" if link.get("storedBytesMatch") in (None, True) else " (ALTERED)") for link in trace["chain"]))
decision_trace = must(200, call("GET", f"/api/submissions/{submitted['submissionId']}/decision/trace", regulator_key))
bound = [link for link in decision_trace["chain"] if link.get("sha256")]
print(f"where the decision comes from: {len(decision_trace['chain'])} links (sign-off, item signatures, answers, evidence, template); "
      f"{sum(1 for link in bound if link['storedBytesMatch'])} of {len(bound)} bound hashes re-check against the record now")

step("The ledger: every event is a leaf of an RFC 6962 Merkle tree; checkpoints are signed with Ed25519")
completed_seq = next(e for e in must(200, call("GET", f"{url}/history", auditor_key)) if e["type"] == "evaluation_completed")["sequence"]
last_seq = must(200, call("GET", f"{audit_url}/history", regulator_key))[-1]["sequence"]
for _ in range(120):
    status = must(200, call("GET", "/api/ledger/status", admin_key))
    if status["sequencer"]["lastSequence"] >= last_seq:
        break
    time.sleep(0.5)
else:
    sys.exit(f"the ledger did not reach sequence {last_seq}: {status}")
checkpoint = must(201, call("POST", "/api/ledger/checkpoints", admin_key))
print(f"signed checkpoint: tree size {checkpoint['treeSize']}, root {checkpoint['rootHash']}")
print("  " + checkpoint["note"].replace("\n", "\n  ").rstrip())
key = must(200, call("GET", "/api/ledger/public-key", developer_key))
print(f"verifier key (published): {key['verifierKey']}")


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(leaf, index, size, proof):
    """RFC 9162 §2.1.3.2: recompute the root from a leaf hash and its audit path."""
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            r = node(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


proof = must(200, call("GET", f"/api/ledger/proofs/inclusion/{completed_seq}?treeSize={checkpoint['treeSize']}", auditor_key))
recomputed = root_from_inclusion(bytes.fromhex(proof["leafHash"]), proof["leafIndex"], proof["treeSize"], [bytes.fromhex(p) for p in proof["proof"]])
print(f"EvaluationCompleted (sequence {completed_seq}) is leaf {proof['leafIndex']}; its {len(proof['proof'])}-hash inclusion proof, "
      f"checked here in Python, gives the signed root: {'yes' if recomputed and recomputed.hex() == checkpoint['rootHash'] else 'NO'}")
check = must(200, call("GET", "/api/ledger/verification", auditor_key))
print(f"the Api's own check of the store against the ledger: {'OK' if check['ok'] else 'FAILED'}: {check['message']}")

request = urllib.request.Request(base + f"/api/ledger/bundle?treeSize={checkpoint['treeSize']}", headers={"Authorization": f"Bearer {auditor_key}"})
with urllib.request.urlopen(request) as response:
    bundle = response.read()
local = pathlib.Path(".local")
(local / "record-bundle.json").write_bytes(bundle)
(local / "verifier.key").write_text(key["verifierKey"])
print(f"exported the record bundle ({len(bundle)} bytes, every event up to the checkpoint) to .local/record-bundle.json")

request = urllib.request.Request(base + f"/api/submissions/{submitted['submissionId']}/record?treeSize={checkpoint['treeSize']}&purpose=Demo",
                                 headers={"Authorization": f"Bearer {regulator_key}"})
with urllib.request.urlopen(request) as response:
    record = response.read()
(local / "submission-record.jsonl").write_bytes(record)
header = json.loads(record.split(b"\n", 1)[0])["header"]
print(f"exported the submission's own record ({header['events']} events with inclusion proofs, {header['blobs']} artefacts; "
      f"dossier {header['dossierSha256'][:16]}...) to .local/submission-record.jsonl")
