"""The demo's walk through the Api, using only the Python standard library (urllib), as any client could."""
import hashlib
import json
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
                             f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
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


step("An administrator opens an account for a data steward")
users = must(200, call("GET", "/api/users", admin_key))
steward = next((u for u in users if u["userName"] == "demo.steward"), None)
if steward is None:
    created = must(201, call("POST", "/api/users", admin_key, {
        "userName": "demo.steward", "printedName": "Demo Data Steward",
        "organisation": "Demo Hospital Data Office", "roles": ["DataSteward"]}))
    steward_key = created["apiKey"]
    print(f"created demo.steward ({created['userId']})")
else:
    steward_key = must(200, call("POST", f"/api/users/{steward['userId']}/api-keys", admin_key, {"label": f"demo run {time.strftime('%Y-%m-%d %H:%M:%S')}"}))["apiKey"]
    print(f"demo.steward exists ({steward['userId']}); issued a fresh key for this run")

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
