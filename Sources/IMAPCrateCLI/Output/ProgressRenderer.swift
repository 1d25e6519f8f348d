import Foundation
import Transfer

/// Shows progress on stderr: a live bar redrawn in place on a terminal, otherwise one line
/// every few seconds (logs and CI stay readable). Silent with --quiet or --json.
final class ProgressRenderer: ProgressObserver, @unchecked Sendable {
    private let lock = NSLock()
    private let live: Bool
    private let enabled: Bool
    private let interval: TimeInterval
    private var lastDraw = Date()
    private var drewLive = false

    init(enabled: Bool) {
        self.enabled = enabled
        self.live = Terminal.stderrIsTTY
        self.interval = live ? 0.2 : 5
    }

    func progressChanged(_ progress: TransferProgress) {
        guard enabled, progress.messagesTotal > 0 || progress.messagesDone > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= interval else { return }
        lastDraw = now
        let line = Self.describe(progress)
        if live {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
            drewLive = true
        } else {
            Terminal.err(line)
        }
    }

    /// Ends the live line so the summary starts on a fresh one.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewLive {
            FileHandle.standardError.write(Data("\n".utf8))
            drewLive = false
        }
    }

    static func describe(_ progress: TransferProgress) -> String {
        let total = max(progress.messagesTotal, progress.messagesDone)
        let fraction = total > 0 ? Double(progress.messagesDone) / Double(total) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = progress.rate
        var eta = ""
        if rate > 0, progress.bytesTotal > progress.bytesDone {
            let seconds = Int(Double(progress.bytesTotal - progress.bytesDone) / rate)
            eta = String(format: " ETA %d:%02d", seconds / 60, seconds % 60)
        }
        let folder = progress.folder.map { " \($0)" } ?? ""
        return "[\(bar)] \(progress.messagesDone)/\(total) messages, \(Format.bytes(progress.bytesDone)), \(Format.bytes(UInt64(rate)))/s\(eta)\(folder)"
    }
}
