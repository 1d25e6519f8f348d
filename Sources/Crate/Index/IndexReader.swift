import Foundation

/// Reads a folder's JSON Lines index one record at a time, in constant memory.
///
/// A torn last line (no final newline, or not valid JSON with nothing after it) is what an
/// interrupted append leaves: it is skipped and noted in `tornTail`. A bad line with more lines
/// after it is real corruption: `next()` returns `.corrupt` for it and goes on. Records that
/// repeat a (UIDVALIDITY, UID) pair are returned and listed in `duplicates`.
public final class IndexReader {
    /// One line of the index.
    public enum Entry: Sendable, Hashable {
        case record(MessageRecord, line: Int)
        case corrupt(line: Int, reason: String)
    }

    /// A (UIDVALIDITY, UID) pair seen more than once.
    public struct Duplicate: Sendable, Hashable {
        public var uidValidity: UInt32
        public var uid: UInt32
        public var line: Int
    }

    public let path: String
    private let file: CrateFile
    private let decoder = JSONDecoder()
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEndOfFile = false
    private var lineNumber = 0
    private var seen = Set<UInt64>()
    /// Bytes up to the end of the last complete line (what a writer keeps).
    public private(set) var validLength = 0
    /// True once a torn last line was found and skipped.
    public private(set) var tornTail = false
    public private(set) var duplicates: [Duplicate] = []

    public init(path: String) throws {
        self.path = path
        file = try CrateFile.openForReading(path)
    }

    /// The next entry, or nil at the end of the index.
    public func next() throws -> Entry? {
        while true {
            guard let (lineStart, lineEnd, hasNewline) = try nextLine() else { return nil }
            lineNumber += 1
            let parsed = decode(lineStart..<lineEnd)
            if hasNewline, case .some(let record) = parsed {
                validLength += lineEnd - lineStart + 1
                noteUID(record)
                return .record(record, line: lineNumber)
            }
            if try !hasNewline || isLastLine() {
                tornTail = true
                return nil
            }
            validLength += lineEnd - lineStart + 1
            let preview = String(decoding: buffer[lineStart..<min(lineEnd, lineStart + 80)], as: UTF8.self)
            return .corrupt(line: lineNumber, reason: "not a valid index record: \(preview)")
        }
    }

    /// Like `next()`, for an index a writer is still appending to: nil at the end of the last
    /// complete line, leaving a partial line in place for a later call, which reads on from
    /// there once the writer has written more.
    public func nextAppended() throws -> Entry? {
        atEndOfFile = false
        guard let (from, to, hasNewline) = try nextLine() else { return nil }
        guard hasNewline else {
            // `from` is in the buffer's current coordinates (a refill may have shifted it).
            start = from
            return nil
        }
        lineNumber += 1
        validLength += to - from + 1
        if let record = decode(from..<to) {
            noteUID(record)
            return .record(record, line: lineNumber)
        }
        let preview = String(decoding: buffer[from..<min(to, from + 80)], as: UTF8.self)
        return .corrupt(line: lineNumber, reason: "not a valid index record: \(preview)")
    }

    /// Every record; a corrupt line throws `.corrupt` naming the file and line.
    public func readAll() throws -> [MessageRecord] {
        var records: [MessageRecord] = []
        while let entry = try next() {
            switch entry {
            case .record(let record, _): records.append(record)
            case .corrupt(let line, let reason): throw Self.corruptLine(path: path, line: line, reason: reason)
            }
        }
        return records
    }

    static func corruptLine(path: String, line: Int, reason: String) -> CrateError {
        CrateError.corrupt("line \(line) is \(reason)", path: path)
    }

    public func close() throws { try file.close() }

    private func decode(_ range: Range<Int>) -> MessageRecord? {
        guard !range.isEmpty else { return nil }
        return buffer.withUnsafeBytes { raw in
            try? decoder.decode(MessageRecord.self, from: Data(raw[range]))
        }
    }

    private func noteUID(_ record: MessageRecord) {
        let key = UInt64(record.uidValidity) << 32 | UInt64(record.uid)
        if !seen.insert(key).inserted {
            duplicates.append(Duplicate(uidValidity: record.uidValidity, uid: record.uid, line: lineNumber))
        }
    }

    /// The next line as a range in `buffer` (without its newline).
    private func nextLine() throws -> (Int, Int, Bool)? {
        var scanned = start
        while true {
            let newline = buffer.withUnsafeBytes { raw -> Int? in
                guard scanned < raw.count else { return nil }
                let base = raw.baseAddress! + scanned
                guard let hit = memchr(base, 0x0A, raw.count - scanned) else { return nil }
                return scanned + (UnsafeRawPointer(hit) - UnsafeRawPointer(base))
            }
            if let newline {
                let line = (start, newline, true)
                start = newline + 1
                return line
            }
            if atEndOfFile {
                guard start < buffer.count else { return nil }
                let line = (start, buffer.count, false)
                start = buffer.count
                return line
            }
            let lineSoFar = buffer.count - start
            guard lineSoFar <= Self.maximumLineLength else {
                throw CrateError.corrupt("line \(lineNumber + 1) is longer than \(Self.maximumLineLength) bytes", path: path)
            }
            try refill()
            scanned = start + lineSoFar
        }
    }

    /// No index record comes near this; a longer line is corruption, not a record.
    static let maximumLineLength = 16 * 1024 * 1024

    /// Appends the next block of the file, first dropping consumed bytes.
    private func refill() throws {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: 64 * 1024))
        let count = try buffer.withUnsafeMutableBytes { raw in
            try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[old...]))
        }
        buffer.removeSubrange((old + count)...)
        if count == 0 { atEndOfFile = true }
    }

    /// True when nothing but the current line remains (so a bad line is a torn tail).
    private func isLastLine() throws -> Bool {
        while start >= buffer.count && !atEndOfFile {
            try refill()
        }
        return start >= buffer.count
    }
}
