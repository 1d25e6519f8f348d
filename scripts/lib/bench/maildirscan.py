"""Reads a Maildir++ tree as Dovecot keeps it: folders, and for each message its file, flags
(Maildir letters and dovecot-keywords, resolved to IMAP names) and mtime (INTERNALDATE)."""
import os

# Dovecot's letters; it serves no flag for "P" (passed), and keeps $Forwarded as a keyword.
LETTERS = {"D": "\\Draft", "F": "\\Flagged", "R": "\\Answered", "S": "\\Seen", "T": "\\Deleted"}


def folders(root):
    """{IMAP name (separator "/"): directory} for INBOX (the root) and every .NAME directory."""
    found = {"INBOX": root}
    for entry in sorted(os.listdir(root)):
        path = os.path.join(root, entry)
        if entry.startswith(".") and entry not in (".", "..") and os.path.isdir(os.path.join(path, "cur")):
            found[entry[1:].replace(".", "/")] = path
    return found


def keywords(directory):
    names = {}
    try:
        with open(os.path.join(directory, "dovecot-keywords")) as handle:
            for line in handle:
                number, _, name = line.rstrip("\n").partition(" ")
                names[chr(ord("a") + int(number))] = name
    except FileNotFoundError:
        pass
    return names


def messages(directory):
    """[(path, flags as a sorted tuple of IMAP names, mtime)] for cur/ and new/."""
    letters = None
    found = []
    for sub in ("cur", "new"):
        base = os.path.join(directory, sub)
        for name in os.listdir(base):
            info = name.rpartition(":2,")[2] if ":2," in name else ""
            flags = []
            for letter in info:
                if letter in LETTERS:
                    flags.append(LETTERS[letter])
                elif letter.islower():
                    letters = keywords(directory) if letters is None else letters
                    flags.append(letters.get(letter, "?" + letter))
            path = os.path.join(base, name)
            found.append((path, tuple(sorted(flags)), int(os.stat(path).st_mtime)))
    return found


def count_files(root, layout="maildir++"):
    """{folder: message count}; layout "verbatim" is mbsync's SubFolders Verbatim (INBOX under root/INBOX)."""
    if layout == "maildir++":
        return {name: len(messages(path)) for name, path in folders(root).items()}
    counts = {}
    for directory, subdirs, _ in os.walk(root):
        if "cur" in subdirs and "new" in subdirs:
            name = os.path.relpath(directory, root)
            counts[name] = sum(len(os.listdir(os.path.join(directory, s))) for s in ("cur", "new"))
    return counts
