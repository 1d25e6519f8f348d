#!/usr/bin/env python3
"""The raw write ceiling: every message of a Maildir++ tree APPENDed to an account on one
connection, in MULTIAPPEND batches (RFC 3502) with LITERAL+ (RFC 7888), all pipelined, with
flags and INTERNALDATE; messages are read from the page cache and sent with CRLF line endings.

usage: append_ceiling.py HOST PORT USER PASSWORD_FILE MAILDIR [--ca-file CA]
Prints one JSON line: messages and bytes sent."""
import argparse
import json
import os
import threading
import time

import imapwire
import maildirscan

BATCH_MESSAGES, BATCH_BYTES = 50, 8 << 20


def batches(items):
    """Groups one folder's messages into MULTIAPPEND batches."""
    batch, size = [], 0
    for item in items:
        batch.append(item)
        size += os.stat(item[0]).st_size
        if len(batch) >= BATCH_MESSAGES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def send_append(sock, tag, folder, batch):
    """One APPEND command with a LITERAL+ per message, sent piece by piece; returns bytes sent."""
    sock.sendall(tag + b" APPEND " + imapwire.quote(folder.encode()))
    sent = 0
    for path, flags, mtime in batch:
        with open(path, "rb") as handle:
            data = handle.read().replace(b"\n", b"\r\n")
        when = time.strftime("%d-%b-%Y %H:%M:%S +0000", time.gmtime(mtime)).encode()
        sock.sendall(b" (%s) \"%s\" {%d+}\r\n" % (" ".join(flags).encode(), when, len(data)))
        sock.sendall(data)
        sent += len(data)
    sock.sendall(b"\r\n")
    return sent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("password_file")
    parser.add_argument("maildir")
    parser.add_argument("--ca-file")
    args = parser.parse_args()
    password = open(args.password_file).read().strip()
    sock = imapwire.connect(args.host, args.port, args.ca_file)
    reader = imapwire.Reader(sock)
    imapwire.login(sock, reader, args.user, password)

    tags, failures = [], []

    def read_answers():
        """Tagged answers until the final NOOP's (tag Z); CREATE may find the folder there."""
        try:
            while True:
                line = reader.line()
                reader.literal(line)
                if line.startswith(b"Z "):
                    return
                if line.startswith(b"A"):
                    rest = line.partition(b" ")[2]
                    if not rest.startswith(b"OK") and not rest.startswith(b"NO [ALREADYEXISTS]"):
                        failures.append(line.decode(errors="replace"))
        except (OSError, imapwire.IMAPError) as error:
            failures.append(str(error))

    thread = threading.Thread(target=read_answers, daemon=True)
    thread.start()
    total = {"messages": 0, "bytes": 0}

    def next_tag():
        tags.append(b"A%d" % len(tags))
        return tags[-1]

    for folder, directory in maildirscan.folders(args.maildir).items():
        if folder != "INBOX":
            sock.sendall(next_tag() + b" CREATE " + imapwire.quote(folder.encode()) + b"\r\n")
        for batch in batches(sorted(maildirscan.messages(directory))):
            total["bytes"] += send_append(sock, next_tag(), folder, batch)
            total["messages"] += len(batch)
    sock.sendall(b"Z NOOP\r\n")
    thread.join()
    imapwire.logout(sock, reader)
    if failures:
        raise SystemExit("append ceiling: " + "; ".join(failures[:5]))
    print(json.dumps(total))


if __name__ == "__main__":
    main()
