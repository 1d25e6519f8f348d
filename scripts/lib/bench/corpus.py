#!/usr/bin/env python3
"""Writes the benchmark corpus straight into a Dovecot Maildir++ tree, deterministically.

usage: corpus.py small|large MAILDIR

The mix follows issue 5: mostly 2-20 KB mails, some 0.1-2 MB attachments, a few 10-25 MB
messages (two of exactly 25 MiB in every preset), in 17 folders. Messages are written with LF
line endings (as Dovecot stores them), all in cur/ with their flags in the file name, a few
keywords through each folder's dovecot-keywords file, and the file's mtime set to the
arrival date (Dovecot's INTERNALDATE). Prints one JSON line: messages, bytes, folders.
"""
import base64
import datetime
import email.utils
import json
import os
import random
import sys

PRESETS = {
    # messages in total, attachment mails (0.1-2 MB), big mails besides the two of 25 MiB
    "small": {"messages": 2000, "attachments": 40, "big": 1, "seed": 20260101},
    "large": {"messages": 20000, "attachments": 690, "big": 22, "seed": 20260202},
}
MIB = 1 << 20

# Folder name -> share of the ordinary mail.
FOLDERS = {
    "INBOX": 22, "Sent": 12, "Drafts": 1, "Trash": 3, "Junk": 2, "Archive": 4,
    "Archive/2021": 8, "Archive/2022": 9, "Archive/2023": 10, "Archive/2024": 10,
    "Projects": 2, "Projects/alpha": 4, "Projects/beta": 3, "Lists/swift-dev": 5,
    "Lists/dovecot": 3, "Receipts": 1, "Family": 1,
}
KEYWORDS = ["$Forwarded", "$label1", "project-x", "NonJunk"]  # Dovecot has no letter for $Forwarded

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there one all we their been has when who will more no if "
    "out so said what up its about into than them can only other new some could time these two "
    "may then do first any my now such like our over man me even most made after also did many "
    "before must through back years where much your way well down should because each just those "
    "people how too little state good very make world still own see men work long get here between "
    "both life being under never day same another know while last might us great old year off come "
    "since against go came right used take three mailbox server message folder migration export "
    "import crate backup archive invoice meeting schedule review release build deploy network"
).split()


def text_pool(rng, size):
    """About `size` bytes of lines of words, to slice mail bodies from."""
    lines, total = [], 0
    while total < size:
        line = " ".join(rng.choices(WORDS, k=rng.randint(8, 13)))
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def body_text(rng, pool, size):
    start = rng.randrange(0, len(pool) - size - 1)
    start = pool.index("\n", start) + 1
    end = pool.rfind("\n", start, start + size) + 1
    return pool[start:end] if end > start else pool[start:start + size] + "\n"


def attachment(rng, size):
    """Base64 (76-column lines) of random bytes, about `size` bytes long once encoded."""
    raw = rng.randbytes(max(1, size * 57 // 77))
    return base64.encodebytes(raw).decode("ascii")


def headers(rng, number, when, folder, subject, extra):
    sender = f"user{rng.randrange(500)}@example.{rng.choice(['org', 'com', 'net'])}"
    to = "bench@imapcrate.test"
    if folder == "Sent":
        sender, to = to, sender
    zone = datetime.timezone(datetime.timedelta(minutes=rng.choice([0, 60, 120, -300, -480, 330])))
    stamp = email.utils.format_datetime(datetime.datetime.fromtimestamp(when, zone))
    return (
        f"Return-Path: <{sender}>\n"
        f"Received: from mx{rng.randrange(9)}.example.net by mail.imapcrate.test with ESMTPS id {number:08x};\n"
        f"\t{stamp}\n"
        f"From: {sender}\nTo: {to}\nSubject: {subject}\nDate: {stamp}\n"
        f"Message-ID: <{number}.bench@imapcrate.test>\nMIME-Version: 1.0\n{extra}\n\n"
    )


def message(rng, pool, number, when, folder, kind, size):
    subject = " ".join(rng.choices(WORDS, k=rng.randint(3, 8))).capitalize()
    if kind == "text":
        body = body_text(rng, pool, max(200, size - 700))
        return headers(rng, number, when, folder, subject,
                       "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit") + body
    boundary = f"=_bench_{number}"
    text = body_text(rng, pool, rng.randint(300, 3000))
    name = rng.choice(["report.pdf", "photo.jpg", "archive.zip", "slides.pptx", "data.xlsx"])
    return (
        headers(rng, number, when, folder, subject, f'Content-Type: multipart/mixed; boundary="{boundary}"')
        + f"This is a multi-part message in MIME format.\n\n--{boundary}\n"
        + "Content-Type: text/plain; charset=utf-8\n\n" + text
        + f"\n--{boundary}\nContent-Type: application/octet-stream; name=\"{name}\"\n"
        + f"Content-Disposition: attachment; filename=\"{name}\"\nContent-Transfer-Encoding: base64\n\n"
        + attachment(rng, max(1000, size - 1500 - len(text)))
        + f"\n--{boundary}--\n"
    )


def flags_for(rng, folder):
    letters = []
    if folder == "Drafts":
        letters.append("D")
    if rng.random() < 0.05:
        letters.append("F")
    if rng.random() < 0.04:
        letters.append("a")
    if rng.random() < 0.15:
        letters.append("R")
    if folder in ("Sent", "Drafts") or rng.random() < 0.8:
        letters.append("S")
    if folder in ("INBOX", "Projects/alpha", "Archive/2023") and rng.random() < 0.08:
        letters.append(rng.choice("bcd"))
    return "".join(sorted(set(letters), key=lambda c: (c.islower(), c)))


def plan(preset, rng):
    """(kind, size) for every message: 25 MiB twice, `big` of 10-25 MiB, attachments, texts."""
    items = [("attach", 25 * MIB), ("attach", 25 * MIB)]
    items += [("attach", rng.randint(10 * MIB, 25 * MIB)) for _ in range(preset["big"])]
    items += [("attach", rng.randint(100_000, 2_000_000)) for _ in range(preset["attachments"])]
    texts = preset["messages"] - len(items)
    items += [("text", int(2000 * 10 ** rng.random())) for _ in range(texts)]
    rng.shuffle(items)
    return items


def folder_dir(root, folder):
    return root if folder == "INBOX" else os.path.join(root, "." + folder.replace("/", "."))


def main():
    preset_name, root = sys.argv[1], sys.argv[2]
    preset = PRESETS[preset_name]
    rng = random.Random(preset["seed"])
    pool = text_pool(rng, 4 * MIB)
    names, weights = list(FOLDERS), list(FOLDERS.values())
    for folder in names:
        path = folder_dir(root, folder)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        if folder != "INBOX":
            open(os.path.join(path, "maildirfolder"), "w").close()
        with open(os.path.join(path, "dovecot-keywords"), "w") as out:
            out.writelines(f"{i} {k}\n" for i, k in enumerate(KEYWORDS))
    start, span = 1_451_606_400, 10 * 365 * 86400  # 2016-01-01, ten years
    total = 0
    for number, (kind, size) in enumerate(plan(preset, rng), 1):
        folder = rng.choices(names, weights)[0]
        when = start + rng.randrange(span)
        data = message(rng, pool, number, when, folder, kind, size).encode("utf-8")
        vsize = len(data) + data.count(b"\n")
        name = f"{when}.M{number}P0.bench,S={len(data)},W={vsize}:2,{flags_for(rng, folder)}"
        path = os.path.join(folder_dir(root, folder), "cur", name)
        with open(path, "wb") as out:
            out.write(data)
        os.utime(path, (when, when))
        total += vsize
    print(json.dumps({"messages": preset["messages"], "bytes": total, "folders": len(names)}))


if __name__ == "__main__":
    main()
