/// Maildir++ file names: `<time>.U<uid>V<uidvalidity>.<host>,S=<size>,W=<vsize>:2,<flags>`.
///
/// `time` is INTERNALDATE in Unix seconds; the unique part is the UID (zero-padded to ten digits
/// so names sort in UID order within a second) and UIDVALIDITY. `S=` is the uncompressed size
/// and `W=` the size with bare LFs counted as CRLF (Dovecot's virtual size, RFC822.SIZE), which
/// Dovecot reads from the name instead of opening the file. Flags after `:2,` are the Maildir
/// letters, sorted: D (\Draft), F (\Flagged), P ($Forwarded), R (\Answered), S (\Seen),
/// T (\Deleted), then lowercase letters for keywords numbered in the folder's `dovecot-keywords`
/// file (see `DovecotKeywords`). The index always holds every flag and keyword as sent.
enum MaildirFileName {
    /// The Maildir letter of each IMAP flag (compared case-insensitively, RFC 3501 §2.3.2).
    static let letters: [(flag: String, letter: Character)] = [
        ("\\draft", "D"), ("\\flagged", "F"), ("$forwarded", "P"),
        ("\\answered", "R"), ("\\seen", "S"), ("\\deleted", "T"),
    ]

    /// The sorted letters for `flags`, e.g. `["\\Seen", "\\Answered"]` → `"RS"`.
    static func flagLetters(_ flags: [String]) -> String {
        let lowered = Set(flags.map { $0.lowercased() })
        return String(letters.filter { lowered.contains($0.flag) }.map(\.letter))
    }

    /// The name while the message is written in `tmp/` (no size or flags yet).
    static func baseName(unixSeconds: Int64, uid: UInt32, uidValidity: UInt32, host: String) -> String {
        let digits = String(uid)
        let padded = String(repeating: "0", count: max(0, 10 - digits.count)) + digits
        return "\(max(unixSeconds, 0)).U\(padded)V\(uidValidity).\(host)"
    }

    /// The final name in `cur/`; `keywordLetters` are the lowercase Dovecot keyword letters.
    static func finalName(base: String, size: Int, virtualSize: Int, flags: [String], keywordLetters: String = "") -> String {
        "\(base),S=\(size),W=\(virtualSize):2,\(flagLetters(flags))\(keywordLetters)"
    }

    /// True for names this module writes (used to clean up files an interrupted run left).
    static func isOurs(_ name: String) -> Bool {
        let parts = name.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(\.isASCIIDigitCharacter) else { return false }
        let unique = parts[1]
        guard unique.first == "U", let v = unique.firstIndex(of: "V") else { return false }
        let uid = unique[unique.index(after: unique.startIndex)..<v]
        let validity = unique[unique.index(after: v)...]
        return uid.count == 10 && uid.allSatisfy(\.isASCIIDigitCharacter)
            && !validity.isEmpty && validity.allSatisfy(\.isASCIIDigitCharacter)
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
