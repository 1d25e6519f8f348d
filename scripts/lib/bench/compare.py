#!/usr/bin/env python3
"""Completeness checks of the benchmark, against the seeded source Maildir.

usage:
  compare.py source MAILDIR OUT.json       record the source: per folder, each message's
                                           SHA-256 (as stored, LF, and as served, CRLF), flags, date
  compare.py crate CRATE SOURCE.json       the crate's index holds exactly the source's messages
                                           (SHA-256 as served, flags and keywords, INTERNALDATE)
  compare.py maildir MAILDIR SOURCE.json   a destination account's Maildir++ holds exactly the
                                           source's messages (bytes, flags and keywords, date)
  compare.py counts CHECK.json SOURCE.json `imapcrate check --json` counts equal the source's
  compare.py files DIR SOURCE.json         message files per folder of an mbsync Maildir (Verbatim)
  compare.py dest-counts MAILDIR SOURCE.json  message files per folder of a destination Maildir++
Prints one short verdict; exits 1 on a mismatch."""
import collections
import hashlib
import json
import os
import sys

import maildirscan


def digest(data):
    return hashlib.sha256(data).hexdigest()


def record_source(root, out):
    folders = {}
    for name, directory in maildirscan.folders(root).items():
        entries = []
        for path, flags, mtime in maildirscan.messages(directory):
            data = open(path, "rb").read()
            entries.append([digest(data), digest(data.replace(b"\n", b"\r\n")), list(flags), mtime])
        folders[name] = entries
    with open(out, "w") as handle:
        json.dump(folders, handle)


def verdict(expected, found, what):
    """Compares {folder: Counter} maps; prints and returns the verdict."""
    problems = []
    for folder in sorted(set(expected) | set(found)):
        want, got = expected.get(folder, collections.Counter()), found.get(folder, collections.Counter())
        if want != got:
            missing, extra = sum((want - got).values()), sum((got - want).values())
            problems.append(f"{folder}: {missing} missing, {extra} unexpected")
    total = sum(sum(c.values()) for c in expected.values())
    if problems:
        print(f"FAIL {what}: " + "; ".join(problems[:4]) + (" ..." if len(problems) > 4 else ""))
        return 1
    print(f"ok ({total} {what})")
    return 0


def nonempty(folders):
    return {name: counter for name, counter in folders.items() if counter}


def check_crate(crate, source):
    manifest = json.load(open(os.path.join(crate, "manifest.json")))
    found = {}
    for folder in manifest["folders"]:
        counter = collections.Counter()
        index = os.path.join(crate, folder["indexFile"])
        if os.path.exists(index):
            for line in open(index):
                record = json.loads(line)
                flags = tuple(sorted(f for f in record["flags"] if f.lower() != "\\recent"))
                counter[(record["sha256"], flags, record["internalDateUnix"])] += 1
        found[folder["name"]] = counter
    expected = {name: collections.Counter((crlf, tuple(flags), mtime) for _, crlf, flags, mtime in entries)
                for name, entries in source.items()}
    if manifest.get("state") != "complete":
        print(f"FAIL manifest state {manifest.get('state')}")
        return 1
    return verdict(nonempty(expected), nonempty(found), "hashes, flags, dates")


def check_maildir(root, source):
    found = {}
    for name, directory in maildirscan.folders(root).items():
        found[name] = collections.Counter(
            (digest(open(path, "rb").read()), flags, mtime) for path, flags, mtime in maildirscan.messages(directory))
    expected = {name: collections.Counter((lf, tuple(flags), mtime) for lf, _, flags, mtime in entries)
                for name, entries in source.items()}
    return verdict(nonempty(expected), nonempty(found), "hashes, flags, dates")


def counts_of(source):
    return {name: collections.Counter({"messages": len(entries)}) for name, entries in source.items() if entries}


def check_counts(report, source):
    found = {f["name"]: collections.Counter({"messages": f["messages"]})
             for f in report["folders"] if f.get("selectable", True) and f["messages"]}
    return verdict(counts_of(source), found, "messages counted")


def check_files(root, source, layout):
    found = {name: collections.Counter({"messages": n}) for name, n in maildirscan.count_files(root, layout).items() if n}
    return verdict(counts_of(source), found, "messages counted")


def main():
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "source":
        record_source(target, sys.argv[3])
        return 0
    source = json.load(open(sys.argv[3]))
    try:
        if mode == "crate":
            return check_crate(target, source)
        if mode == "maildir":
            return check_maildir(target, source)
        if mode == "counts":
            return check_counts(json.load(open(target)), source)
        if mode == "files":
            return check_files(target, source, "verbatim")
        if mode == "dest-counts":
            return check_files(target, source, "maildir++")
    except (OSError, ValueError, KeyError) as error:
        print(f"FAIL {type(error).__name__}: {error}")
        return 1
    raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
