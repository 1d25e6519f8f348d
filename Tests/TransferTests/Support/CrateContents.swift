import Crate
import Foundation

/// A crate's messages with their original bytes, read through `CrateReader` (each one
/// checked against its recorded size and SHA-256 on the way).
struct CrateContents {
    struct Message {
        var record: MessageRecord
        var bytes: [UInt8]
    }

    let manifest: Manifest
    /// Messages by folder name, in index order.
    var messages: [String: [Message]] = [:]

    init(_ url: URL) throws {
        let reader = try CrateReader(at: url)
        manifest = reader.manifest
        for folder in reader.folders {
            var list: [Message] = []
            for record in try reader.records(in: folder) {
                let source = try reader.openMessage(record, in: folder)
                defer { source.close() }
                list.append(Message(record: record, bytes: try source.readAll()))
            }
            messages[folder.name] = list
        }
    }

    /// Every message of every folder.
    var count: Int { messages.values.reduce(0) { $0 + $1.count } }

    /// Per folder, the (UID, SHA-256) pairs: equal for two crates holding the same messages.
    var identities: [String: [String]] {
        messages.mapValues { $0.map { "\($0.record.uid) \($0.record.sha256)" }.sorted() }
    }
}

/// Every regular file and directory below `url`, as paths relative to it.
func treeEntries(_ url: URL) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: url.path) else { return [] }
    return enumerator.compactMap { $0 as? String }.sorted()
}
