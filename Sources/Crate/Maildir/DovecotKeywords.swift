/// A folder's `dovecot-keywords` file: keyword `N` is the lowercase letter `a`+N after `:2,` in
/// Maildir file names, so Dovecot serving the tree shows IMAP keywords too. At most 26.
///
/// ```
/// 0 $Forwarded
/// 1 Work
/// ```
/// Keywords beyond the 26th stay in the index only (which always holds every flag).
struct DovecotKeywords {
    static let fileName = "dovecot-keywords"
    static let capacity = 26

    private(set) var names: [String] = []
    private(set) var isDirty = false

    /// Loads `<folderPath>/dovecot-keywords` when it exists.
    init(folderPath: String) throws {
        let path = folderPath + "/" + Self.fileName
        guard try CrateFileSystem.entryType(path) == .regular else { return }
        let text = String(decoding: try readWholeFile(path, limit: 1024 * 1024), as: UTF8.self)
        var byNumber: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let number = Int(line[..<space]),
                  (0..<Self.capacity).contains(number) else { continue }
            byNumber[number] = String(line[line.index(after: space)...])
        }
        // Keep numbering: a gap would shift letters, so stop at the first hole.
        var number = 0
        while let name = byNumber[number] {
            names.append(name)
            number += 1
        }
    }

    /// The sorted letters for the keywords among `flags`, assigning letters to new keywords.
    mutating func letters(for flags: [String]) -> String {
        var letters: [Character] = []
        for flag in flags where !flag.hasPrefix("\\") {
            var index = names.firstIndex { $0.caseInsensitiveCompare(flag) }
            if index == nil && names.count < Self.capacity {
                names.append(flag)
                isDirty = true
                index = names.count - 1
            }
            if let index {
                letters.append(Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(index))))
            }
        }
        return String(Set(letters).sorted())
    }

    /// Writes the file atomically when new keywords were added.
    mutating func save(folderPath: String) throws {
        guard isDirty else { return }
        let text = names.enumerated().map { "\($0.offset) \($0.element)\n" }.joined()
        try AtomicFile.write(Array(text.utf8), to: folderPath + "/" + Self.fileName)
        isDirty = false
    }
}

private extension String {
    /// IMAP keywords compare case-insensitively (RFC 3501 §2.3.2).
    func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
