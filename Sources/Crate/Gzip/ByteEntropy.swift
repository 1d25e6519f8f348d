import Foundation

/// Order-0 Shannon entropy of a chunk of bytes, estimated from an evenly spread sample.
///
/// It tells the gzip writer which chunks are worth searching for repeated strings. Mail text,
/// headers and HTML sit around 4.2–5.3 bits per byte; base64 of already-compressed data (the
/// JPEGs, PDFs and archives that make up most of a mailbox's bytes) sits at 6.0, where LZ77
/// finds next to nothing and Huffman coding alone gets the same 25% at four times the speed.
enum ByteEntropy {
    /// Bits per byte above which a chunk is treated as high-entropy. Base64 of random data
    /// measures 5.98–6.0; the densest mail text (UTF-8 CJK, long URLs) stays below 5.6.
    static let highEntropyThreshold = 5.75

    /// The most bytes looked at per chunk: enough for an estimate within a few hundredths of a
    /// bit, cheap next to compressing the chunk.
    static let sampleSize = 8192

    /// Estimated bits per byte of `bytes` (0 for an empty chunk).
    static func bitsPerByte(_ bytes: UnsafeRawBufferPointer) -> Double {
        let count = bytes.count
        guard count > 0 else { return 0 }
        let stride = max(1, count / sampleSize)
        var histogram = [Int](repeating: 0, count: 256)
        var sampled = 0
        histogram.withUnsafeMutableBufferPointer { counts in
            var index = 0
            while index < count {
                counts[Int(bytes[index])] += 1
                sampled += 1
                index += stride
            }
        }
        let total = Double(sampled)
        var bits = 0.0
        for value in histogram where value > 0 {
            let p = Double(value) / total
            bits -= p * log2(p)
        }
        return bits
    }

    /// Whether `bytes` looks like already-compressed data (in base64 or raw).
    static func isHighEntropy(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bitsPerByte(bytes) > highEntropyThreshold
    }
}
