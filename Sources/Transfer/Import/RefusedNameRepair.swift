/// The name an import falls back to when the destination refuses to CREATE a folder name
/// (Dovecot refuses `.` in Maildir++ names, a leading `~`, control characters, empty levels,
/// names over 255 bytes): each hierarchy level has control characters, `.`, `/` and `\`
/// (other than the separator) replaced by `_`, a leading `~` made `_`, an empty level written
/// `_`, and is cut to 120 characters. Deterministic, so a rerun lands in the same folder.
///
/// `../../x` → `__/__/x`, `a//b` → `a/_/b`, `ctl\u{1}name` → `ctl_name`.
enum RefusedNameRepair {
    static let maximumLevelLength = 120

    static func repaired(_ name: String, separator: Character?) -> String {
        let levels = separator.map { name.split(separator: $0, omittingEmptySubsequences: false).map(String.init) } ?? [name]
        return levels.map(repairedLevel).joined(separator: separator.map(String.init) ?? "")
    }

    private static func repairedLevel(_ level: String) -> String {
        var result = String(level.unicodeScalars.map { scalar -> Character in
            let unsafe = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || "./\\".unicodeScalars.contains(scalar)
            return unsafe ? "_" : Character(scalar)
        })
        if result.hasPrefix("~") { result = "_" + result.dropFirst() }
        if result.isEmpty { result = "_" }
        return String(result.prefix(maximumLevelLength))
    }
}
