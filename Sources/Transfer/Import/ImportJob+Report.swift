import Crate
import Foundation
import IMAPClient
import IMAPProtocol

extension ImportJob {
    /// APPENDs the completion report to INBOX when there is something to report: messages
    /// appended since the last report (by this run, or by interrupted runs before it), folders
    /// created, messages skipped, or no report yet for this crate.
    ///
    /// Exactly once, even across `kill -9`: the report's Message-ID is journaled before the
    /// APPEND, and a rerun that finds that intent unfinished looks for the report in INBOX
    /// (`UID SEARCH HEADER Message-ID`) before deciding to send one.
    func sendReportIfDue(_ summary: inout ImportSummary, journal: ImportJournal) async throws {
        if let pending = journal.pendingReportMessageID {
            let arrived = try await account.withSession(logger: logger) { session in
                _ = try await session.select(.inbox, readOnly: true)
                return try await !session.uidSearch("HEADER Message-ID \(Self.quoted(pending))").isEmpty
            }
            if arrived {
                journal.recordReport()
                try await journal.sync()
            }
        }
        let unreported = journal.unreportedDone
        let due = !unreported.isEmpty || summary.folders.contains(where: \.created) || !summary.skipped.isEmpty || !journal.reportSent
        guard due else { return }
        tracker.update { $0.phase = "report" }
        let report = CompletionReport(summary: try reportedTotals(summary, unreported: unreported), finishedAt: Date())
        journal.recordReportIntent(messageID: report.messageID)
        try await journal.sync()
        FaultInjection.step("import: report intent synced")
        _ = try await account.withSession(logger: logger) { session in
            try await session.append(to: .inbox, flags: [], internalDate: nil, message: report.message())
        }
        FaultInjection.step("import: report appended")
        journal.recordReport()
        try await journal.sync()
        summary.reportSent = true
    }

    /// `summary` with the totals the report states: the messages appended since the last
    /// report, per folder, so a run resumed after a crash reports the whole job.
    private func reportedTotals(_ summary: ImportSummary, unreported: Set<ImportJournal.Key>) throws -> ImportSummary {
        var result = summary
        let reader = try CrateReader(at: crate)
        var messages = 0
        var bytes: UInt64 = 0
        for index in result.folders.indices {
            guard let folder = reader.folder(named: result.folders[index].source), folder.selectable else { continue }
            let appended = try FolderImporter.items(reader: reader, folder: folder).filter { unreported.contains($0.key) }
            result.folders[index].messages = appended.count
            result.folders[index].bytes = appended.reduce(0) { $0 + UInt64($1.record.size) }
            messages += appended.count
            bytes += result.folders[index].bytes
        }
        result.alreadyPresent = max(0, summary.alreadyPresent + summary.messagesAppended - messages)
        result.messagesAppended = messages
        result.bytesAppended = bytes
        return result
    }

    /// An IMAP quoted string (RFC 3501 §4.3).
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
