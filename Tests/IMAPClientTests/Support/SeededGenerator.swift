/// SplitMix64: the same "random" bytes and fragment sizes on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` uniformly random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count + 8)
        while result.count < count {
            withUnsafeBytes(of: next()) { result.append(contentsOf: $0) }
        }
        return Array(result.prefix(count))
    }

    /// Mail-like text: CRLF lines of words from a small vocabulary, so it compresses like mail.
    mutating func text(_ count: Int) -> [UInt8] {
        let words = ["the", "message", "IMAP", "folder", "Subject:", "mailbox", "quoted-printable", "=20",
                     "Bonjour", "données", "archive", "2024", "From:", "attachment", "<id@example.org>"]
        var result: [UInt8] = []
        result.reserveCapacity(count + 32)
        var lineLength = 0
        while result.count < count {
            let word = words[Int(next() % UInt64(words.count))]
            result.append(contentsOf: word.utf8)
            lineLength += word.utf8.count
            if lineLength > 70 {
                result.append(contentsOf: [13, 10])
                lineLength = 0
            } else {
                result.append(32)
                lineLength += 1
            }
        }
        return Array(result.prefix(count))
    }

    /// Splits `count` bytes into pieces of 1 to `largest` bytes.
    mutating func fragmentSizes(total count: Int, largest: Int) -> [Int] {
        var sizes: [Int] = []
        var left = count
        while left > 0 {
            let size = min(left, 1 + Int(next() % UInt64(largest)))
            sizes.append(size)
            left -= size
        }
        return sizes
    }
}
