import Foundation

/// Checks a whole crate: recomputes every message's SHA-256 and size from the stored data and
/// compares manifest, indexes and files, listing each problem by name (`imapcrate verify`).
///
/// Reads only; takes a shared lock so it does not race a running export.
public struct CrateVerifier: Sendable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// Verifies the crate. Throws only when it cannot start: no crate, unreadable or unsafe
    /// manifest, newer format, or a writer holding the lock; everything else is a problem.
    public func verify(progress: (@Sendable (VerificationProgress) -> Void)? = nil) throws -> VerificationReport {
        let root = url.standardizedFileURL.path
        let sharedLock = try CrateLock.shared(crateRoot: root)
        defer { withExtendedLifetime(sharedLock) {} }
        let reader = try CrateReader(at: url)
        let manifest = reader.manifest
        var report = VerificationReport()
        if manifest.state == .partial {
            report.add(VerificationProblem(
                .partialCrate, .warning,
                message: "the export that wrote this crate did not finish; run it again to complete the crate"))
        }
        let mismatchSeverity: VerificationProblem.Severity = manifest.state == .complete ? .error : .warning
        var expected = manifest
        expected.updateTotals()
        if expected.totals != manifest.totals {
            report.add(VerificationProblem(
                .manifestMismatch, mismatchSeverity, path: Manifest.fileName,
                message: "manifest totals \(describe(manifest.totals)) differ from the sum of its folders "
                    + describe(expected.totals)))
        }
        var checker = FolderChecker(
            reader: reader, root: root, mismatchSeverity: mismatchSeverity, progress: progress,
            totals: manifest.totals)
        for folder in manifest.folders {
            checker.check(folder, into: &report)
            report.foldersChecked += 1
        }
        report.messagesChecked = checker.messagesChecked
        report.bytesChecked = checker.bytesChecked
        try LayoutChecker(root: root, manifest: manifest).check(into: &report)
        return report
    }

    private func describe(_ totals: Manifest.Totals) -> String {
        "(\(totals.folders) folders, \(totals.messages) messages, \(totals.bytes) bytes)"
    }
}
