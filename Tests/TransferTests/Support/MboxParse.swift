import Foundation

/// Reads mbox text with Python's standard `mailbox.mbox`, the reference "ordinary tool".
enum MboxParse {
    struct Message {
        var fromLine: String
        var bytes: [UInt8]
    }

    /// Python prints, per message, its From line and the hex of `get_bytes()` after undoing
    /// the mboxrd quoting (`mailbox.mbox` reads mboxo and leaves `>From ` as it is).
    static let script = #"""
    import mailbox, re, sys
    box = mailbox.mbox(sys.argv[1], create=False)
    for key in box.keys():
        raw = box.get_bytes(key)
        raw = re.sub(rb'(?m)^>(>*From )', rb'\1', raw)
        print(box.get_message(key).get_from())
        print(raw.hex())
    """#

    static func messages(_ mbox: Data) throws -> [Message] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("imapcrate-mbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("folder.mbox")
        try mbox.write(to: file)
        let output = String(decoding: try runTool(["python3", "-c", script, file.path]), as: UTF8.self)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var result: [Message] = []
        var index = 0
        while index + 1 < lines.count {
            result.append(Message(fromLine: lines[index], bytes: hexBytes(lines[index + 1])))
            index += 2
        }
        return result
    }

    /// What `mailbox.mbox` gives for a stored message: it drops the one newline before the
    /// next `From ` line, so a message without a final newline comes back with one LF added.
    static func asPythonReadsIt(_ original: [UInt8]) -> [UInt8] {
        original.last == 0x0A || original.isEmpty ? original : original + [0x0A]
    }

    /// `Wed Jul 17 09:44:25 1996`: asctime in UTC, as in the `From ` line.
    static func asctime(_ unix: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM d HH:mm:ss yyyy"
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(unix)))
        // asctime pads a one-digit day with a space.
        let parts = text.split(separator: " ")
        guard parts.count == 5, parts[2].count == 1 else { return text }
        return "\(parts[0]) \(parts[1])  \(parts[2]) \(parts[3]) \(parts[4])"
    }

    private static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            bytes.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) ?? 0)
        }
        return bytes
    }
}

/// Runs a program found on PATH; returns its stdout, throws when it fails.
func runTool(_ arguments: [String]) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestSetupError("\(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(errorText)")
    }
    return data
}
