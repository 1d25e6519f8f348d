import Foundation

/// Ways to damage files in tests.
enum FileDamage {
    static func flipByte(_ path: String, at offset: Int? = nil) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let position = offset ?? bytes.count / 2
        bytes[position] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, by count: Int) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - count).write(to: URL(fileURLWithPath: path))
    }

    static func append(_ text: String, to path: String) throws {
        try append(Array(text.utf8), to: path)
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try handle.close()
    }
}
