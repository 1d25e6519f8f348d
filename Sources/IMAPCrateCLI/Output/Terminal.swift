import Foundation

/// The only place that writes to stdout and stderr.
enum Terminal {
    /// True when stderr is a terminal (live progress bars, password prompts).
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func error(_ message: String) {
        err("imapcrate: error: \(message)")
    }

    static func warning(_ message: String) {
        err("imapcrate: warning: \(message)")
    }

    /// Prints a value as pretty, key-sorted JSON on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// Human formatting of sizes and counts.
enum Format {
    /// `1.2 MB`, decimal units as mail providers show them.
    static func bytes(_ value: UInt64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000 && unit < units.count - 1 {
            amount /= 1000
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f ", amount) + units[unit]
    }

    /// Pads or truncates to a column width.
    static func column(_ text: String, _ width: Int, right: Bool = false) -> String {
        let shown = text.count > width ? String(text.prefix(width - 1)) + "…" : text
        let padding = String(repeating: " ", count: max(0, width - shown.count))
        return right ? padding + shown : shown + padding
    }
}
