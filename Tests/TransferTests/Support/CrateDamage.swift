import Crate
import Foundation

/// Damages one stored message the way a bad disk or a stray edit would.
enum CrateDamage {
    /// XORs one byte in the middle of the stored data of `record`: its Maildir file, or its
    /// member of the folder's mbox file. Returns the file changed.
    @discardableResult
    static func flipByte(of record: MessageRecord, in folder: Manifest.Folder, crate: URL) throws -> URL {
        let file: URL
        let offset: Int
        switch record.location {
        case .file(let relative):
            file = crate.appendingPathComponent(folder.location).appendingPathComponent(relative)
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int ?? 0
            offset = size / 2
        case .mbox(let start, let length):
            file = crate.appendingPathComponent(folder.location)
            offset = start + length / 2
        }
        let handle = try FileHandle(forUpdating: file)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        guard let byte = try handle.read(upToCount: 1)?.first else { throw TestSetupError("\(file.path) is shorter than \(offset + 1) bytes") }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: Data([byte ^ 0x01]))
        return file
    }
}
