#!/usr/bin/env python3
"""Prints the benchmark table (Markdown) and the acceptance summary of issue 5.

usage: table.py RESULTS.tsv CORPUS.json [TOOL=NOTE]...
RESULTS.tsv lines: job, transport, run, wall seconds, peak RSS KB, status (ok|fail|skip), note.
Wall time is the median over runs, peak RSS the maximum; "vs reference" is the reference's
wall time over the job's (above 1 = faster), "vs ceiling" the ceiling's over the job's."""
import json
import statistics
import sys

# id: (label, reference job, ceiling job(s))
JOBS = {
    "fetch-ceiling": ("ceiling: EXAMINE + one pipelined UID FETCH 1:* BODY.PEEK[] per folder, discarded", None, None),
    "export": ("imapcrate export (default compression)", "mbsync-pull", ["fetch-ceiling"]),
    "export-none": ("imapcrate export --compression none", "mbsync-pull", ["fetch-ceiling"]),
    "mbsync-pull": ("mbsync IMAP → Maildir", None, ["fetch-ceiling"]),
    "append-ceiling": ("ceiling: pipelined MULTIAPPEND + LITERAL+, one connection", None, None),
    "import": ("imapcrate import (gzip crate)", "mbsync-push", ["append-ceiling"]),
    "import-none": ("imapcrate import (uncompressed crate)", "mbsync-push", ["append-ceiling"]),
    "mbsync-push": ("mbsync Maildir → IMAP", None, ["append-ceiling"]),
    "copy": ("imapcrate copy", "mbsync-imap", ["fetch-ceiling", "append-ceiling"]),
    "mbsync-imap": ("mbsync IMAP → IMAP", None, ["fetch-ceiling", "append-ceiling"]),
}
TRANSPORTS = ["tls", "plain"]


def load(path):
    rows = {}
    for line in open(path):
        job, transport, run, wall, rss, status, note = line.rstrip("\n").split("\t")
        rows.setdefault((job, transport), []).append(
            {"wall": float(wall) if wall else None, "rss": int(rss) if rss else None, "status": status, "note": note})
    return rows


def summary(runs):
    walls = [r["wall"] for r in runs if r["wall"] is not None and r["status"] != "skip"]
    rss = [r["rss"] for r in runs if r["rss"] is not None and r["status"] != "skip"]
    failed = [r for r in runs if r["status"] == "fail"]
    status = "skip" if all(r["status"] == "skip" for r in runs) else ("fail" if failed else "ok")
    note = (failed[0] if failed else runs[-1])["note"]
    return {"wall": statistics.median(walls) if walls else None, "min": min(walls) if walls else None,
            "max": max(walls) if walls else None, "rss": max(rss) if rss else None, "status": status, "note": note,
            "runs": len(walls)}


def main():
    rows, corpus = load(sys.argv[1]), json.load(open(sys.argv[2]))
    messages, megabytes = corpus["messages"], corpus["bytes"] / 1e6
    stats = {key: summary(runs) for key, runs in rows.items()}
    many = any(s["runs"] > 1 for s in stats.values())

    def wall(job, transport):
        entry = stats.get((job, transport))
        return entry["wall"] if entry and entry["status"] == "ok" else None

    print(f"corpus: {messages} messages, {megabytes:.1f} MB (as served, CRLF; MB = 10^6 bytes)")
    print()
    print("| job | transport | wall s | msg/s | MB/s | peak RSS MB | vs reference | vs ceiling | complete |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for transport in TRANSPORTS:
        for job, (label, reference, ceilings) in JOBS.items():
            entry = stats.get((job, transport))
            if entry is None:
                continue
            if entry["status"] == "skip":
                print(f"| {label} | {transport} | – | – | – | – | – | – | {entry['note']} |")
                continue
            seconds = entry["wall"]
            shown = f"{seconds:.2f}" + (f" ({entry['min']:.2f}–{entry['max']:.2f})" if many and entry["runs"] > 1 else "")
            ref = wall(reference, transport) if reference else None
            ceiling_walls = [wall(c, transport) for c in ceilings or []]
            ceiling = max(ceiling_walls) if ceiling_walls and None not in ceiling_walls else None
            versus = f"{ref / seconds:.2f}×" if ref and seconds else "–"
            to_ceiling = f"{ceiling / seconds:.2f}×" if ceiling and seconds else "–"
            rss = f"{entry['rss'] / 1024:.0f}" if entry["rss"] is not None else "–"
            rate = f"{messages / seconds:.0f}" if seconds else "–"
            speed = f"{megabytes / seconds:.1f}" if seconds else "–"
            print(f"| {label} | {transport} | {shown} | {rate} | {speed} | {rss} | {versus} | {to_ceiling} | {entry['note']} |")
    for other in sys.argv[3:]:
        tool, _, note = other.partition("=")
        print(f"| {tool} | – | – | – | – | – | – | – | {note} |")
    print()
    acceptance(stats, wall)


def acceptance(stats, wall):
    """Issue 5's targets, over TLS."""
    def ratio(job, reference):
        ours, theirs = wall(job, "tls"), wall(reference, "tls")
        return theirs / ours if ours and theirs else None

    checks = []
    for job, reference, target in [("export", "mbsync-pull", 1.5), ("export-none", "mbsync-pull", 2.0),
                                   ("import", "mbsync-push", 1.5), ("copy", "mbsync-imap", 1.5)]:
        value = ratio(job, reference)
        verdict = "n/a" if value is None else ("PASS" if value >= target else "FAIL")
        shown = "–" if value is None else f"{value:.2f}×"
        checks.append(f"{verdict}: {job} vs {reference} over TLS is {shown} (target ≥ {target}×)")
    copy, export, load = wall("copy", "tls"), wall("export", "tls"), wall("import", "tls")
    if copy and export and load:
        verdict = "PASS" if copy < export + load else "FAIL"
        checks.append(f"{verdict}: copy over TLS {copy:.2f} s vs export + import {export + load:.2f} s")
    ours = [(key, s) for key, s in stats.items() if key[0] in ("export", "export-none", "import", "import-none", "copy")]
    peak = max((s["rss"] for _, s in ours if s["rss"] is not None), default=None)
    if peak is not None:
        checks.append(f"{'PASS' if peak <= 64 * 1024 else 'FAIL'}: peak RSS of imapcrate export/import/copy "
                      f"{peak / 1024:.0f} MB (target ≤ 64 MB)")
    failed = [f"{job}/{transport}" for (job, transport), s in ours if s["status"] != "ok"]
    checks.append(("PASS: every imapcrate run verified complete" if not failed
                   else "FAIL: not verified complete: " + ", ".join(sorted(failed))))
    print("Acceptance (issue 5, this run):")
    for line in checks:
        print(f"- {line}")


if __name__ == "__main__":
    main()
