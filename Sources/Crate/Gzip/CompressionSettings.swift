/// How message data is stored: gzip at a zlib level (0 = stored blocks, 9 = smallest), or raw.
///
/// `--compression none` stores Maildir files and mbox files uncompressed; every other setting
/// writes one gzip member per message.
public struct CompressionSettings: Hashable, Sendable, CustomStringConvertible {
    public var kind: CompressionKind
    /// zlib level 0...9; ignored for `.none`.
    public var level: Int

    /// gzip at `level` (clamped to 0...9).
    public static func gzip(level: Int) -> CompressionSettings {
        CompressionSettings(kind: .gzip, level: min(max(level, 0), 9))
    }

    /// Uncompressed storage.
    public static let none = CompressionSettings(kind: .none, level: 0)
    /// gzip level 1: the default. Export speed matters more than the last few percent: on
    /// mail text it compresses about 3.5 times faster than level 6 for files about 20% larger,
    /// and already-compressed attachments are stored (see `GzipWriter`; level 2 Huffman-codes
    /// them, 24% smaller, at a fifth of the speed).
    public static let fast = gzip(level: 1)
    /// gzip level 6 (zlib's usual default): smaller files, about 40 MB/s per core.
    public static let compact = gzip(level: 6)
    /// The default, `fast`.
    public static let `default` = fast

    public var description: String {
        kind == .none ? "none" : "gzip level \(level)"
    }
}

/// Whether a folder's data is gzip-compressed; recorded per folder in the manifest.
public enum CompressionKind: String, Codable, Sendable, Hashable {
    case gzip
    case none
}
