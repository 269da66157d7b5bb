"""Writes ledger_reference.json: the ledger's canonical leaves, RFC 6962 roots and proofs, computed independently.

Python standard library only. The encoding follows docs/ledger.md ("Canonical leaf encoding"); the tree follows the
recursive definitions of RFC 6962 section 2.1 (MTH, PATH, PROOF/SUBPROOF) written out directly, with no shortcuts.
Run from the repository root:
    python3 tests/Ai4h.Audit.Tests/Reference/make_ledger_reference.py
"""
import base64
import datetime
import hashlib
import json
import pathlib
import struct
import uuid

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def micros(iso):
    # datetime keeps exact microseconds, so floor division by one microsecond is exact (and floors before 1970).
    t = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return (t - EPOCH) // datetime.timedelta(microseconds=1)


def utf8_field(text):
    raw = b"" if text is None else text.encode("utf-8")
    return struct.pack(">I", len(raw)) + raw


def canonical(entry):
    if entry.get("void"):
        return b"\x02" + struct.pack(">q", entry["sequence"])
    return (b"\x01"
            + struct.pack(">q", entry["sequence"])
            + uuid.UUID(entry["streamId"]).bytes          # RFC 4122 order: big-endian fields
            + struct.pack(">q", entry["streamVersion"])
            + utf8_field(entry["eventType"])
            + struct.pack(">q", micros(entry["timestamp"]))
            + utf8_field(entry.get("actor"))
            + hashlib.sha256(entry["data"].encode("utf-8")).digest())


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, complete):
    n = len(leaves)
    if m == n:
        return [] if complete else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], complete) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def entries():
    """Forty entries: events of several kinds, non-ASCII text, a null actor, times before 1970, and voids."""
    streams = [str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://ai4h.example/stream/{s}")) for s in range(4)]
    streams.append("00112233-4455-6677-8899-aabbccddeeff")  # byte order is visible at a glance
    types = ["DatasetRegistered", "ModelSubmitted", "EvaluationCompleted", "ReviewSigned", "Überprüfung"]
    actors = ["alice@ai4h.example", None, "Zoë Müller", "", "runner"]
    times = ["2025-03-01T09:30:00.123456Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999Z",
             "2038-01-19T03:14:08.000001Z", "2024-02-29T23:59:59.5Z", "1900-01-01T00:00:00.000001Z"]
    out = []
    versions = {}
    for seq in range(1, 41):
        if seq in (4, 5, 17, 31, 40):
            out.append({"sequence": seq, "void": True})
            continue
        stream = streams[seq % len(streams)]
        versions[stream] = versions.get(stream, 0) + 1
        out.append({
            "sequence": seq,
            "streamId": stream,
            "streamVersion": versions[stream],
            "eventType": types[seq % len(types)],
            "timestamp": times[seq % len(times)],
            "actor": actors[seq % len(actors)],
            "data": json.dumps({"n": seq, "note": "é ✓ \"quoted\"" if seq % 3 == 0 else "plain"}, ensure_ascii=False),
        })
    return out


def main():
    items = entries()
    hashes = [leaf_hash(canonical(e)) for e in items]
    hexes = lambda hs: [h.hex() for h in hs]
    leaves = []
    for e, h in zip(items, hashes):
        leaf = {"entry": e, "canonical": canonical(e).hex(), "leafHash": h.hex()}
        if not e.get("void"):
            leaf["dataSha256"] = hashlib.sha256(e["data"].encode("utf-8")).hexdigest()
            leaf["unixMicroseconds"] = micros(e["timestamp"])
        leaves.append(leaf)
    sizes = [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 32, 33, 40]
    inclusion = [{"index": i, "size": n, "proof": hexes(path(i, hashes[:n]))} for n in sizes for i in range(n)]
    consistency = [{"oldSize": m, "newSize": n, "proof": hexes(subproof(m, hashes[:n], True))}
                   for n in sizes for m in range(1, n)]
    origin = "ai4h.example/ledger/reference"
    root = mth(hashes)
    fixture = {
        "generator": "tests/Ai4h.Audit.Tests/Reference/make_ledger_reference.py",
        "leaves": leaves,
        "roots": hexes(mth(hashes[:n]) for n in range(len(hashes) + 1)),
        "inclusion": inclusion,
        "consistency": consistency,
        "checkpoint": {"origin": origin, "size": len(hashes), "body": f"{origin}\n{len(hashes)}\n{base64.b64encode(root).decode()}\n"},
    }
    target = pathlib.Path(__file__).with_name("ledger_reference.json")
    target.write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(leaves)} leaves, {len(inclusion)} inclusion and {len(consistency)} consistency proofs")


if __name__ == "__main__":
    main()
