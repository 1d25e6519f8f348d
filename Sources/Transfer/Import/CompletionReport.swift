import Foundation
import NIOCore

/// The message APPENDed to the destination INBOX when an import or copy ends, like the seed
/// service's completion mail: totals in the subject, details in a plain-text body.
struct CompletionReport {
    var summary: ImportSummary
    var finishedAt: Date
    /// Journaled before the APPEND, so a rerun after a crash can find the report in INBOX.
    var messageID = "<imapcrate-report-\(UUID().uuidString.lowercased())@localhost>"

    var subject: String {
        let failures = summary.skipped.isEmpty ? "" : ", \(summary.skipped.count) skipped"
        return "imapcrate: \(summary.messagesAppended) messages imported from \(summary.source)\(failures)"
    }

    func message() -> ByteBuffer {
        let date = Self.rfc5322Date(finishedAt)
        var lines: [String] = [
            "From: imapcrate <imapcrate@localhost>",
            "To: \(summary.destination.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: ""))",
            "Subject: \(subject)",
            "Date: \(date)",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "Mail from \(summary.source) (crate \(summary.crate)) was imported into \(summary.destination).",
            "",
            "Started:  \(summary.startedAt)",
            "Finished: \(ISO8601DateFormatter().string(from: finishedAt))",
            String(format: "Duration: %.1f s", summary.seconds),
            "",
            "Messages imported: \(summary.messagesAppended) (\(summary.bytesAppended) bytes)",
            "Already present:   \(summary.alreadyPresent)",
            "Skipped:           \(summary.skipped.count)",
            "",
            "Folders:",
        ]
        for folder in summary.folders {
            let created = folder.created ? ", created" : ""
            lines.append("  \(folder.source) -> \(folder.destination): \(folder.messages) messages, \(folder.bytes) bytes\(created)")
        }
        if !summary.skipped.isEmpty {
            lines += ["", "Skipped messages:"]
            for skipped in summary.skipped {
                lines.append("  \(skipped.folder) UID \(skipped.uid) (\(skipped.size) bytes): \(skipped.reason)")
            }
        }
        if !summary.droppedKeywords.isEmpty {
            lines += ["", "Keywords the destination would not store:"]
            for (folder, keywords) in summary.droppedKeywords.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(folder): \(keywords.joined(separator: " "))")
            }
        }
        lines.append("")
        return ByteBuffer(string: lines.joined(separator: "\r\n"))
    }

    /// `Fri, 27 Nov 2026 10:00:00 +0000` (RFC 5322 §3.3).
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
