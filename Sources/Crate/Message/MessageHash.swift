import Crypto

/// A SHA-256 digest of a message's exact bytes, stored compactly; written as 64 lowercase hex digits.
struct MessageHash: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    init(digest: SHA256.Digest) {
        var w: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        digest.withUnsafeBytes { raw in
            func word(_ index: Int) -> UInt64 {
                var value: UInt64 = 0
                for byte in raw[(index * 8)..<(index * 8 + 8)] { value = value << 8 | UInt64(byte) }
                return value
            }
            w = (word(0), word(1), word(2), word(3))
        }
        words = w
    }

    /// Parses 64 hex digits (either case); nil for anything else.
    init?(hex: String) {
        var parsed: [UInt64] = []
        parsed.reserveCapacity(4)
        var value: UInt64 = 0
        var count = 0
        for byte in hex.utf8 {
            let nibble: UInt8
            switch byte {
            case 0x30...0x39: nibble = byte - 0x30
            case 0x61...0x66: nibble = byte - 0x61 + 10
            case 0x41...0x46: nibble = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
            count += 1
            if count % 16 == 0 {
                parsed.append(value)
                value = 0
            }
            if count > 64 { return nil }
        }
        guard count == 64 else { return nil }
        words = (parsed[0], parsed[1], parsed[2], parsed[3])
    }

    var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 64)
        for (index, word) in [words.0, words.1, words.2, words.3].enumerated() {
            for nibble in 0..<16 {
                out[index * 16 + nibble] = digits[Int((word >> UInt64(60 - nibble * 4)) & 0xF)]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    var description: String { hex }

    static func == (lhs: MessageHash, rhs: MessageHash) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

extension SHA256.Digest {
    /// The digest as 64 lowercase hex digits.
    var hexString: String { MessageHash(digest: self).hex }
}
