import Foundation

/// Decodes RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) in a header value.
///
/// Whitespace between two adjacent encoded-words is dropped (RFC 2047 §6.2). A word in an
/// unknown charset, or malformed, is left as it is.
enum EncodedWords {
    static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 8, text.contains("=?") else { return text }
        var out = ""
        var index = 0
        var lastWasEncoded = false
        var literalStart = 0
        func flushLiteral(upTo end: Int) {
            if literalStart < end { out += String(decoding: bytes[literalStart..<end], as: UTF8.self) }
        }
        while index < bytes.count {
            if bytes[index] == 0x3D, index + 1 < bytes.count, bytes[index + 1] == 0x3F,
               let (decoded, end) = decodeWord(bytes, at: index) {
                let gap = bytes[literalStart..<index]
                if !(lastWasEncoded && gap.allSatisfy { $0 == 0x20 || $0 == 0x09 }) {
                    flushLiteral(upTo: index)
                }
                out += decoded
                index = end
                literalStart = end
                lastWasEncoded = true
                continue
            }
            if bytes[index] != 0x20 && bytes[index] != 0x09 { lastWasEncoded = false }
            index += 1
        }
        flushLiteral(upTo: bytes.count)
        return out
    }

    /// Decodes `=?charset?enc?text?=` starting at `start`; returns the text and the end index.
    private static func decodeWord(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
        var parts: [ArraySlice<UInt8>] = []
        var partStart = start + 2
        var index = start + 2
        while index < bytes.count && parts.count < 3 {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 { return nil }
            if byte == 0x3F {
                if parts.count == 2 {
                    guard index + 1 < bytes.count, bytes[index + 1] == 0x3D else { return nil }
                    parts.append(bytes[partStart..<index])
                    index += 2
                    break
                }
                parts.append(bytes[partStart..<index])
                partStart = index + 1
            }
            index += 1
        }
        guard parts.count == 3, parts[1].count == 1 else { return nil }
        var charset = String(decoding: parts[0], as: UTF8.self).lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        let payload: [UInt8]?
        switch parts[1].first! | 0x20 {
        case 0x62: payload = Data(base64Encoded: Data(parts[2]), options: .ignoreUnknownCharacters).map { [UInt8]($0) }
        case 0x71: payload = decodeQ(parts[2])
        default: payload = nil
        }
        guard let payload, let text = string(payload, charset: charset) else { return nil }
        return (text, index)
    }

    /// The "Q" encoding: `_` is a space, `=XX` a byte (RFC 2047 §4.2).
    private static func decodeQ(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == 0x5F {
                out.append(0x20)
            } else if byte == 0x3D {
                guard index + 2 < text.endIndex, let high = hexValue(text[index + 1]),
                      let low = hexValue(text[index + 2]) else { return nil }
                out.append(high << 4 | low)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }

    private static func string(_ bytes: [UInt8], charset: String) -> String? {
        switch charset {
        case "utf-8", "utf8": return String(decoding: bytes, as: UTF8.self)
        case "us-ascii", "ascii": return String(decoding: bytes.map { $0 & 0x7F }, as: UTF8.self)
        case "iso-8859-1", "latin1", "iso_8859-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default:
            let encodings: [String: String.Encoding] = [
                "iso-8859-2": .isoLatin2, "windows-1250": .windowsCP1250, "windows-1251": .windowsCP1251,
                "windows-1252": .windowsCP1252, "cp1252": .windowsCP1252, "windows-1253": .windowsCP1253,
                "windows-1254": .windowsCP1254, "utf-16": .utf16, "shift_jis": .shiftJIS,
                "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP,
            ]
            guard let encoding = encodings[charset] else { return nil }
            return String(data: Data(bytes), encoding: encoding)
        }
    }
}
