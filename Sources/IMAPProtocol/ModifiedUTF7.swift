/// Modified UTF-7, the encoding of international mailbox names (RFC 3501 §5.1.3).
///
/// Printable US-ASCII stands for itself except `&`, written `&-`; every other run of
/// characters is UTF-16 in modified base64 (`,` instead of `/`, no padding) between `&` and `-`.
/// `C: A1 CREATE "Entw&APw-rfe"` names the mailbox `Entwürfe`.
public enum ModifiedUTF7 {
    /// Encodes a human (Unicode) mailbox name into its modified UTF-7 wire bytes.
    public static func encode(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        var pending: [UInt16] = []
        for scalar in string.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush(&pending, into: &output)
                output.append(UInt8(scalar.value))
                if scalar == "&" { output.append(UInt8(ascii: "-")) }
            } else {
                pending.append(contentsOf: UTF16.encode(scalar)!)
            }
        }
        flush(&pending, into: &output)
        return output
    }

    /// Decodes modified UTF-7 wire bytes; throws `invalidMailboxName` on anything that is not
    /// the one canonical encoding (8-bit bytes, unterminated or bad base64, leftover bits,
    /// printable ASCII or unpaired surrogates inside a base64 run).
    public static func decode(_ bytes: [UInt8]) throws -> String {
        var result = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte <= 0x7E else {
                throw invalid(bytes, "contains the byte 0x\(String(byte, radix: 16)), which is not printable US-ASCII")
            }
            index += 1
            guard byte == UInt8(ascii: "&") else {
                result.append(Unicode.Scalar(byte))
                continue
            }
            guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "-")) else {
                throw invalid(bytes, "has a base64 run that is never closed with '-'")
            }
            if close == index {
                result.append("&")
            } else {
                let units = try decodeRun(bytes[index..<close], in: bytes)
                try appendUTF16(units, to: &result, in: bytes)
            }
            index = close + 1
        }
        return String(result)
    }

    private static func flush(_ pending: inout [UInt16], into output: inout [UInt8]) {
        guard !pending.isEmpty else { return }
        output.append(UInt8(ascii: "&"))
        var bits: UInt32 = 0
        var bitCount = 0
        for unit in pending {
            bits = (bits << 16) | UInt32(unit)
            bitCount += 16
            while bitCount >= 6 {
                bitCount -= 6
                output.append(alphabet[Int((bits >> UInt32(bitCount)) & 0x3F)])
            }
            bits &= (1 << UInt32(bitCount)) - 1
        }
        if bitCount > 0 {
            output.append(alphabet[Int((bits << UInt32(6 - bitCount)) & 0x3F)])
        }
        output.append(UInt8(ascii: "-"))
        pending.removeAll(keepingCapacity: true)
    }

    private static func decodeRun(_ run: ArraySlice<UInt8>, in whole: [UInt8]) throws -> [UInt16] {
        var units: [UInt16] = []
        var bits: UInt32 = 0
        var bitCount = 0
        for char in run {
            let value = sextet(char)
            guard value >= 0 else {
                throw invalid(whole, "has '\(Character(Unicode.Scalar(char)))' inside a base64 run")
            }
            bits = (bits << 6) | UInt32(value)
            bitCount += 6
            if bitCount >= 16 {
                bitCount -= 16
                units.append(UInt16(truncatingIfNeeded: bits >> UInt32(bitCount)))
                bits &= (1 << UInt32(bitCount)) - 1
            }
        }
        // Minimal encoding leaves fewer than 6 bits over, and they must be zero.
        guard bitCount < 6, bits == 0, !units.isEmpty else {
            throw invalid(whole, "has a base64 run with leftover bits (not minimally encoded)")
        }
        return units
    }

    private static func appendUTF16(
        _ units: [UInt16], to result: inout String.UnicodeScalarView, in whole: [UInt8]
    ) throws {
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                guard scalar.value < 0x20 || scalar.value > 0x7E else {
                    throw invalid(whole, "encodes the printable character '\(scalar)' in base64")
                }
                result.append(scalar)
            case .emptyInput:
                return
            case .error:
                throw invalid(whole, "has an unpaired UTF-16 surrogate")
            }
        }
    }

    private static func sextet(_ char: UInt8) -> Int {
        switch char {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(char) - 65
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(char) - 97 + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(char) - 48 + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: ","): 63
        default: -1
        }
    }

    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8
    )

    private static func invalid(_ bytes: [UInt8], _ reason: String) -> IMAPProtocolError {
        let excerpt = String(decoding: bytes.prefix(64), as: UTF8.self)
        return IMAPProtocolError(.invalidMailboxName, "The mailbox name \"\(excerpt)\" \(reason).")
    }
}
