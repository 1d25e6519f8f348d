import Crate
import Foundation
import Logging

/// `imapcrate copy`: export and import at once. The export writes a working crate while the
/// import follows it, appending each committed batch to the destination before the export
/// ends. Resume, no duplicates, report and locks are those of the two phases.
public struct CopyJob: Sendable {
    public let source: Account
    public let destination: Account
    /// The working crate; kept after success only when `keepCrate`.
    public let crate: URL
    public let keepCrate: Bool
    public let exportOptions: ExportOptions
    public let importOptions: ImportOptions
    public let stateDirectory: URL
    public let tracker: ProgressTracker
    public let logger: Logger

    public init(
        source: Account, destination: Account, crate: URL, keepCrate: Bool, exportOptions: ExportOptions,
        importOptions: ImportOptions, stateDirectory: URL, tracker: ProgressTracker, logger: Logger
    ) {
        self.source = source
        self.destination = destination
        self.crate = crate
        self.keepCrate = keepCrate
        self.exportOptions = exportOptions
        self.importOptions = importOptions
        self.stateDirectory = stateDirectory
        self.tracker = tracker
        self.logger = logger
    }

    /// The working crate `copy` uses without `--keep-crate`: in the state directory, stable
    /// across runs so that an interrupted copy resumes.
    public static func workingCrate(source: AccountAddress, destination: AccountAddress, stateDirectory: URL) -> URL {
        JobDirectory.url(for: "\(source.key) to \(destination.key)", in: stateDirectory.appendingPathComponent("copies"))
            .appendingPathComponent("crate")
    }

    public struct Summary: Sendable, Codable {
        public var export: ExportSummary
        public var `import`: ImportSummary
        public var crateKept: Bool
    }

    public func run() async throws -> Summary {
        if !keepCrate { try JobDirectory.create(crate.deletingLastPathComponent()) }
        let producer = ProducerState()
        let main = tracker
        let exportTracker = ProgressTracker(observer: ForwardingObserver { progress in
            main.update {
                $0.messagesTotal = max($0.messagesTotal, progress.messagesTotal)
                $0.bytesTotal = max($0.bytesTotal, progress.bytesTotal)
            }
        }, job: nil)
        let importTracker = ProgressTracker(observer: ForwardingObserver { progress in
            main.update {
                $0.phase = progress.phase
                $0.folder = progress.folder
                $0.messagesDone = progress.messagesDone
                $0.bytesDone = progress.bytesDone
                $0.failedMessages = progress.failedMessages
            }
        }, job: nil)
        var copyExport = exportOptions
        // Each commit lets the import take the folder's next messages: often enough to keep
        // the destination busy, seldom enough that the flushes do not dominate.
        copyExport.commitEveryMessages = min(exportOptions.commitEveryMessages, 500)
        copyExport.commitEveryBytes = min(exportOptions.commitEveryBytes, 32 << 20)
        copyExport.producer = producer
        let exportJob = ExportJob(account: source, crate: crate, options: copyExport, tracker: exportTracker, logger: logger)
        let importJob = ImportJob(crate: crate, account: destination, options: importOptions, stateDirectory: stateDirectory,
                                  tracker: importTracker, logger: logger)
        let manifest = crate.appendingPathComponent(Manifest.fileName).path

        return try await withThrowingTaskGroup(of: Void.self) { group in
            let exported = ResultBox<ExportSummary>()
            group.addTask {
                defer { producer.finish() }
                exported.value = try await exportJob.run()
            }
            // The import starts as soon as the crate exists and then follows it.
            while producer.isRunning && !FileManager.default.fileExists(atPath: manifest) {
                try await Task.sleep(for: .milliseconds(50))
            }
            guard FileManager.default.fileExists(atPath: manifest) else {
                try await group.next()
                throw TransferError(.failed, "the export ended before creating the crate")
            }
            let imported: ImportSummary
            do {
                imported = try await importJob.run(producer: producer)
            } catch {
                group.cancelAll()
                throw error
            }
            try await group.waitForAll()
            guard let export = exported.value else { throw TransferError(.failed, "the export did not report a result") }
            let clean = export.failed.isEmpty && imported.skipped.isEmpty
            if clean && !keepCrate {
                try? FileManager.default.removeItem(at: crate)
            }
            return Summary(export: export, import: imported, crateKept: keepCrate || !clean)
        }
    }
}

/// Passes progress snapshots to a closure.
struct ForwardingObserver: ProgressObserver {
    let forward: @Sendable (TransferProgress) -> Void

    func progressChanged(_ progress: TransferProgress) { forward(progress) }
}

/// A value set by one task and read after it has finished.
final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    var value: Value? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
