import Foundation
import Logging

/// swift-log handler printing `imapcrate: level: message` lines on stderr. Protocol traces
/// reach it already redacted (LOGIN and AUTHENTICATE never carry secrets into logs).
struct StderrLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        Terminal.err("imapcrate: \(event.level): \(event.message)")
    }
}
