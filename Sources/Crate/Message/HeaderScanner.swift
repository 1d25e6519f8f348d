#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects a message's header section (RFC 5322 §2.1) while the message streams past, up to a
/// byte limit, then answers field lookups with folded lines unfolded (§2.2.3).
///
/// Only the header is copied; the body is never looked at. Header end is the first empty line
/// (LF or CRLF endings).
struct HeaderScanner {
    /// Header bytes kept at most; a longer header is cut there.
    let limit: Int
    private(set) var bytes: [UInt8] = []
    /// True once the empty line after the header was seen, or the limit was reached.
    private(set) var isComplete = false
    private var lineStart = 0

    init(limit: Int = 64 * 1024) {
        self.limit = limit
    }

    /// Looks at the next chunk of the message.
    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        guard !isComplete, chunk.count > 0 else { return }
        let take = min(chunk.count, limit - bytes.count)
        let scanFrom = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<take]))
        findHeaderEnd(from: scanFrom)
        if !isComplete && bytes.count >= limit { isComplete = true }
    }

    private mutating func findHeaderEnd(from scanFrom: Int) {
        var position = scanFrom
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!
            while position < raw.count, let hit = memchr(base + position, 0x0A, raw.count - position) {
                let newline = UnsafeRawPointer(hit) - base
                let length = newline - lineStart
                if length == 0 || (length == 1 && raw[lineStart] == 0x0D) {
                    isComplete = true
                    return
                }
                lineStart = newline + 1
                position = newline + 1
            }
        }
        if isComplete {
            bytes.removeSubrange(lineStart...)
        }
    }

    /// The first field called `name` (case-insensitive), unfolded and trimmed; nil when absent.
    func value(of name: String) -> String? {
        let wanted = Array(name.lowercased().utf8)
        var result: [UInt8]?
        forEachField { fieldName, value in
            guard result == nil, fieldName.count == wanted.count else { return }
            if zip(fieldName, wanted).allSatisfy({ asciiLower($0) == $1 }) { result = value }
        }
        return result.map { Self.text(trimmed($0)) }
    }

    /// Calls `body` with each field's name and unfolded raw value.
    private func forEachField(_ body: (ArraySlice<UInt8>, [UInt8]) -> Void) {
        var name: ArraySlice<UInt8>?
        var value: [UInt8] = []
        for line in lines() {
            if let first = line.first, first == 0x20 || first == 0x09 {
                if name != nil { value.append(contentsOf: line) }
                continue
            }
            if let current = name { body(current, value) }
            name = nil
            value = []
            if let colon = line.firstIndex(of: 0x3A) {
                name = line[line.startIndex..<colon].reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()[...]
                value = Array(line[(colon + 1)...])
            }
        }
        if let current = name { body(current, value) }
    }

    /// Header lines without their line endings.
    private func lines() -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        for var line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if line.last == 0x0D { line = line.dropLast() }
            result.append(line)
        }
        return result
    }

    private func trimmed(_ value: [UInt8]) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        guard let first = value.firstIndex(where: { !isSpace($0) }) else { return [] }
        let last = value.lastIndex(where: { !isSpace($0) })!
        return value[first...last]
    }

    /// Header bytes as text: UTF-8 when valid (RFC 6532), else ISO-8859-1.
    static func text<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}

private func asciiLower(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
}
