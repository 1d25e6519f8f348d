import Foundation
@testable import Crate

/// Reads one input as a crate index: as a single JSON record (which must survive a round trip
/// through the writer's encoding) and as a whole index file through `IndexReader`.
enum IndexFuzzing {
    static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("imapcrate-fuzz-index-\(getpid()).jsonl").path

    static func check(_ input: [UInt8]) {
        if let record = try? JSONDecoder().decode(MessageRecord.self, from: Data(input)) {
            let line = record.jsonLine()
            guard let again = try? JSONDecoder().decode(MessageRecord.self, from: Data(line)), again == record else {
                fatalError("a record did not survive its own encoding: \(record) → \(String(decoding: line, as: UTF8.self))")
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return }
        do {
            let reader = try IndexReader(path: path)
            defer { try? reader.close() }
            var lines = 0
            while let entry = try reader.next() {
                lines += 1
                if case .record(let record, _) = entry, !(0...MessageRecord.maximumSize).contains(record.size) {
                    fatalError("the reader returned an impossible size \(record.size)")
                }
            }
            guard reader.validLength <= input.count, lines <= input.count else {
                fatalError("the reader claims more than it read")
            }
        } catch is CrateError {
            // A refusal, as expected of hostile input.
        } catch {
            fatalError("the index reader threw \(type(of: error)): \(error)")
        }
    }
}
