import Foundation
import NIOCore

/// A message body parked in a temporary file, for servers that send FETCH attributes after
/// the body. Read back in 64 KiB chunks; removed after use.
struct SpooledBody {
    let url: URL
    let byteCount: Int
    private var handle: FileHandle?

    private init(url: URL, byteCount: Int) {
        self.url = url
        self.byteCount = byteCount
    }

    static func fill(from cursor: FetchCursor, byteCount: Int) async throws -> SpooledBody {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imapcrate-spool-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw TransferError(.failed, "cannot create a spool file in \(url.deletingLastPathComponent().path)")
        }
        let writer = try FileHandle(forWritingTo: url)
        defer { try? writer.close() }
        while let event = try await cursor.next() {
            switch event {
            case .streamingBytes(let chunk):
                try writer.write(contentsOf: Data(chunk.readableBytesView))
            case .streamingEnd:
                return SpooledBody(url: url, byteCount: byteCount)
            default:
                throw TransferError(.connectionLost, "the server's FETCH response ended inside a message body")
            }
        }
        throw TransferError(.connectionLost, "the connection ended inside a message body")
    }

    mutating func next() throws -> ByteBuffer? {
        if handle == nil { handle = try FileHandle(forReadingFrom: url) }
        guard let data = try handle?.read(upToCount: 1 << 16), !data.isEmpty else {
            try? handle?.close()
            return nil
        }
        return ByteBuffer(bytes: data)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
