#!/usr/bin/env python3
"""The raw read ceiling: for every folder, EXAMINE and one pipelined `UID FETCH 1:* BODY.PEEK[]`
on one connection, the literals read and thrown away as fast as Python can.

usage: fetch_ceiling.py HOST PORT USER PASSWORD_FILE [--ca-file CA] [--items ITEMS]
Prints one JSON line: messages and bytes fetched."""
import argparse
import json

import imapwire


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("user")
    parser.add_argument("password_file")
    parser.add_argument("--ca-file")
    parser.add_argument("--items", default="BODY.PEEK[]")
    args = parser.parse_args()
    password = open(args.password_file).read().strip()
    sock = imapwire.connect(args.host, args.port, args.ca_file)
    reader = imapwire.Reader(sock)
    imapwire.login(sock, reader, args.user, password)
    counts = {"messages": 0, "bytes": 0}

    def count(line):
        if line.startswith(b"* ") and b" FETCH " in line:
            counts["messages"] += 1
            match = imapwire.LITERAL.search(line)
            if match:
                counts["bytes"] += int(match.group(1))

    items = args.items.encode()
    for number, folder in enumerate(imapwire.list_folders(sock, reader)):
        tag = b"F%d" % number
        sock.sendall(b"E%d EXAMINE %s\r\n%s UID FETCH 1:* %s\r\n" % (number, folder, tag, items))
        answer = reader.until_tagged(tag, count)
        if not answer.startswith(tag + b" OK"):
            raise imapwire.IMAPError(f"FETCH in {folder!r} failed: {answer!r}")
    imapwire.logout(sock, reader)
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
