import Crypto

/// Turns an IMAP folder's path components into one file name: Maildir++ style `Parent.Child`,
/// each component percent-escaped so that the result is a single, portable, injective name.
///
/// Escaped as `%XX` (UTF-8 bytes, uppercase hex): control characters (C0, DEL, C1), `%`, `.`,
/// `/`, `\`, `:`, `*`, `?`, `"`, `<`, `>`, `|`, `~` and a trailing space. So no component is
/// empty, `.` or `..`, none holds a separator, and the name is valid on ext4, APFS, NTFS and
/// exFAT. An empty component becomes `%-`. `~` never appears unescaped, so the `~hash` suffixes
/// added for collisions and long names cannot be produced by escaping a real name.
enum FolderNameEscaping {
    /// Longest key in UTF-8 bytes; `.` + key, key + `.mbox.gz` and key + `.jsonl` stay under 255.
    static let maximumKeyBytes = 200

    /// The unbounded key for a folder: escaped components joined by `.`.
    static func key(for pathComponents: [String]) -> String {
        pathComponents.map(escapeComponent).joined(separator: ".")
    }

    /// Escapes one path component.
    static func escapeComponent(_ component: String) -> String {
        if component.isEmpty { return "%-" }
        var out = String.UnicodeScalarView()
        let scalars = Array(component.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let isLast = index == scalars.count - 1
            if needsEscape(scalar) || (isLast && scalar == " ") {
                for byte in String(scalar).utf8 {
                    out.append("%")
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0xF))
                }
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) { return true }
        switch scalar {
        case "%", ".", "/", "\\", ":", "*", "?", "\"", "<", ">", "|", "~": return true
        default: return false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? 0x30 + nibble : 0x41 + nibble - 10)
    }

    /// `key` cut (at a character boundary, never inside a `%XX`) so that `key + suffix` fits
    /// in `maximumKeyBytes`, then `suffix` appended.
    static func bounded(_ key: String, suffix: String) -> String {
        let budget = maximumKeyBytes - suffix.utf8.count
        guard key.utf8.count > budget else { return key + suffix }
        var kept = String.UnicodeScalarView()
        var used = 0
        var scalars = key.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            var unit = String.UnicodeScalarView([scalar])
            if scalar == "%" {
                // Keep an escape sequence whole: `%XX`, or `%-` for an empty component.
                if let first = scalars.next() {
                    unit.append(first)
                    if first != "-", let second = scalars.next() { unit.append(second) }
                }
            }
            let size = String(unit).utf8.count
            if used + size > budget { break }
            kept.append(contentsOf: unit)
            used += size
        }
        return String(kept) + suffix
    }

    /// `~` followed by the first `digits` hex digits of SHA-256(`text`).
    static func hashSuffix(of text: String, digits: Int) -> String {
        "~" + String(SHA256.hash(data: Array(text.utf8)).hexString.prefix(digits))
    }
}

/// Hands out folder keys that are unique even on case-insensitive, normalising filesystems.
///
/// Two names that differ only in case or Unicode normalisation (`Foo` / `foo`, NFC / NFD) get
/// different keys: the later one gets `~` + 8 hex digits of a hash. A key over 200 bytes is cut
/// and ends in `~` + 16 hex digits of the hash of the whole name.
struct FolderKeyAllocator {
    private var taken: Set<String> = []

    init<S: Sequence>(existing keys: S) where S.Element == String {
        for key in keys { taken.insert(Self.collisionForm(key)) }
    }

    /// Reserves and returns the key for a folder.
    mutating func allocate(pathComponents: [String], isInbox: Bool) -> String {
        let full = isInbox ? "INBOX" : FolderNameEscaping.key(for: pathComponents)
        var base = full
        if base.utf8.count > FolderNameEscaping.maximumKeyBytes {
            base = FolderNameEscaping.bounded(full, suffix: FolderNameEscaping.hashSuffix(of: full, digits: 16))
        }
        var candidate = base
        if isTaken(candidate) {
            let hash = FolderNameEscaping.hashSuffix(of: full, digits: 8)
            candidate = FolderNameEscaping.bounded(base, suffix: hash)
            var counter = 2
            while isTaken(candidate) {
                candidate = FolderNameEscaping.bounded(base, suffix: hash + "-\(counter)")
                counter += 1
            }
        }
        taken.insert(Self.collisionForm(candidate))
        return candidate
    }

    private func isTaken(_ key: String) -> Bool {
        taken.contains(Self.collisionForm(key))
    }

    /// Upper- then lower-casing approximates full case folding (`ß` → `ss`); `String` equality
    /// and hashing are already insensitive to Unicode normalisation.
    static func collisionForm(_ key: String) -> String {
        key.uppercased().lowercased()
    }
}
