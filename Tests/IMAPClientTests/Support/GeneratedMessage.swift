#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A large message made on demand from its line number, so any byte range can be produced
/// (to append in chunks) and checked (against fetched chunks) without holding the message.
///
/// CRLF lines of fixed length: `Line 00000042 of a generated message …\r\n`.
struct GeneratedMessage: Sendable {
    let header: [UInt8]
    let lineCount: Int
    private let template: [UInt8]
    /// Where the eight digits of the line number sit in `template`.
    private let digitsOffset = 5

    init(approximateSize: Int, label: String) {
        header = Array("""
            From: Generator <generator@imapcrate.test>\r
            To: alice@example.org\r
            Subject: \(label)\r
            Message-ID: <\(label)@imapcrate.test>\r
            \r

            """.utf8)
        template = Array("Line 00000000 of a generated message, padded with text so that lines are long.\r\n".utf8)
        lineCount = max(1, (approximateSize - header.count) / template.count)
    }

    var count: Int { header.count + lineCount * template.count }

    /// The bytes in `range` (clamped to the message).
    func bytes(_ range: Range<Int>) -> [UInt8] {
        let range = range.clamped(to: 0..<count)
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var offset = range.lowerBound
        while offset < range.upperBound {
            if offset < header.count {
                let end = min(header.count, range.upperBound)
                result.append(contentsOf: header[offset..<end])
                offset = end
                continue
            }
            let lineIndex = (offset - header.count) / template.count
            let lineStart = header.count + lineIndex * template.count
            let line = self.line(lineIndex)
            let from = offset - lineStart
            let to = min(template.count, range.upperBound - lineStart)
            result.append(contentsOf: line[from..<to])
            offset = lineStart + to
        }
        return result
    }

    private func line(_ index: Int) -> [UInt8] {
        var line = template
        var value = index
        for position in stride(from: digitsOffset + 7, through: digitsOffset, by: -1) {
            line[position] = UInt8(ascii: "0") + UInt8(value % 10)
            value /= 10
        }
        return line
    }

    /// True when `chunk` equals the message's bytes starting at `offset`.
    func matches(_ chunk: some Collection<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset + chunk.count <= count else { return false }
        let expected = bytes(offset..<offset + chunk.count)
        let actual = Array(chunk)
        guard !actual.isEmpty else { return true }
        return expected.withUnsafeBytes { left in
            actual.withUnsafeBytes { right in memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }
}
