import Foundation

/// Reads a password or token without it ever touching the command line: a file, an
/// environment variable, a command's output, or a no-echo prompt on the terminal.
enum SecretSource {
    /// The file's content without its final line break. Refuses an empty file.
    static func readFile(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError(.usage, "cannot read the \(what) file \(path)")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw CLIError(.usage, "the \(what) file \(path) is empty") }
        return text
    }

    /// Runs `command` with /bin/sh and returns its standard output, trimmed.
    static func runCommand(_ command: String, what: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        do {
            try process.run()
        } catch {
            throw CLIError(.usage, "cannot run the \(what) command: \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CLIError(.usage, "the \(what) command exited with status \(process.terminationStatus)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw CLIError(.usage, "the \(what) command printed nothing") }
        return text
    }

    /// Asks on the controlling terminal with echo off; nil when there is no terminal.
    static func prompt(_ question: String) -> String? {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard isatty(fd) == 1 else { return nil }
        var original = termios()
        tcgetattr(fd, &original)
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer {
            tcsetattr(fd, TCSAFLUSH, &original)
            _ = write(fd, "\n", 1)
        }
        _ = question.withCString { write(fd, $0, strlen($0)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(fd, &byte, 1) == 1, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") {
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
