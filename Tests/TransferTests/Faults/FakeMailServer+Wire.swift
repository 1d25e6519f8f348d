/// The client side of the wire as the fake server reads it: commands assembled from lines and
/// literals, split into tokens, and UID sequence-sets (RFC 3501 §9).
extension FakeMailServer {
    /// A piece of a client command: a line (without CRLF) or the literal that followed it.
    enum CommandPart: Sendable {
        case line(String)
        case literal([UInt8])
    }

    /// One token of a command: an atom, a string (quoted or literal, unquoted), or a parenthesis.
    enum Token: Equatable, Sendable {
        case atom(String)
        case string([UInt8])
        case open
        case close

        /// The token's bytes when it can name a mailbox or carry a value.
        var bytes: [UInt8]? {
            switch self {
            case .atom(let text): Array(text.utf8)
            case .string(let bytes): bytes
            case .open, .close: nil
            }
        }

        var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// `{n}` or `{n+}` at the end of a line: the literal size.
    static func literalAnnouncement(_ line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        return Int(digits)
    }

    /// The tokens of a whole command, tag first; literal announcements are replaced by the
    /// literal that followed them.
    static func tokens(_ parts: [CommandPart]) -> [Token] {
        var tokens: [Token] = []
        for part in parts {
            switch part {
            case .literal(let bytes):
                tokens.append(.string(bytes))
            case .line(let line):
                var text = Substring(line)
                if literalAnnouncement(line) != nil, let open = line.lastIndex(of: "{") {
                    text = text[..<open]
                }
                tokens += lineTokens(Array(text.utf8))
            }
        }
        return tokens
    }

    private static func lineTokens(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "):
                index += 1
            case UInt8(ascii: "("):
                tokens.append(.open)
                index += 1
            case UInt8(ascii: ")"):
                tokens.append(.close)
                index += 1
            case UInt8(ascii: "\""):
                var value: [UInt8] = []
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { index += 1 }
                    value.append(bytes[index])
                    index += 1
                }
                index += 1
                tokens.append(.string(value))
            default:
                let start = index
                while index < bytes.count, ![UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")")].contains(bytes[index]) {
                    index += 1
                }
                tokens.append(.atom(String(decoding: bytes[start..<index], as: UTF8.self)))
            }
        }
        return tokens
    }

    /// The UIDs of `messages` that `set` names (`1:3,7,9:*`); `*` is the highest UID, and
    /// `n:*` names the highest UID even when it is below n (RFC 3501 §6.4.8).
    static func select(_ set: String, from messages: [Message]) -> [Message] {
        guard let highest = messages.map(\.uid).max() else { return [] }
        var ranges: [ClosedRange<UInt32>] = []
        for part in set.split(separator: ",") {
            let bounds = part.split(separator: ":").map { $0 == "*" ? highest : UInt32($0) ?? 0 }
            guard let first = bounds.first else { continue }
            let last = bounds.count > 1 ? bounds[1] : first
            ranges.append(min(first, last)...max(first, last))
        }
        return messages.filter { message in ranges.contains { $0.contains(message.uid) } }
    }

    /// A mailbox name as the server writes it: quoted when it can be, else a literal.
    static func astring(_ name: [UInt8]) -> [UInt8] {
        let quotable = name.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if quotable { return [UInt8(ascii: "\"")] + name + [UInt8(ascii: "\"")] }
        return Array("{\(name.count)}\r\n".utf8) + name
    }
}
