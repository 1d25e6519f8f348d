import Crate
import Crypto
import Foundation
import IMAPClient
import NIOCore
import Transfer

extension FakeMailServer {
    /// Plain IMAP to this server as alice, with a short read timeout so that a stall ends fast.
    func account(readTimeout: TimeAmount = .seconds(10)) -> Account {
        Account(
            address: AccountAddress(user: "alice", host: "127.0.0.1", port: port, security: .plain),
            credentials: .password(username: "alice", password: "secret"),
            allowPlaintext: true,
            timeouts: .init(connect: .seconds(5), read: readTimeout)
        )
    }

    /// Per mailbox (wire name as text), the SHA-256 of each message's bytes, sorted.
    var contentByMailbox: [String: [String]] {
        lock.withLock {
            Dictionary(uniqueKeysWithValues: mailboxes.map { mailbox in
                (String(decoding: mailbox.wireName, as: UTF8.self), mailbox.messages.map { faultSHA256($0.bytes) }.sorted())
            })
        }
    }
}

/// Every wait a job asked its injected `sleep` for, in order.
final class RequestedWaits: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var all: [Duration] { lock.withLock { recorded } }

    /// A sleep that records the wait and returns at once.
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] duration in lock.withLock { recorded.append(duration) } }
    }
}

/// Fast, recorded retries: 10 ms base delay, waits recorded instead of slept.
func fastRetry(_ waits: RequestedWaits, maxRetries: Int = 5) -> RetryPolicy {
    RetryPolicy(maxRetries: maxRetries, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100), sleep: waits.sleep)
}

/// Export options for the fault tests: one connection unless asked, fast recorded retries.
func faultExportOptions(_ waits: RequestedWaits, connections: Int = 1, maxRetries: Int = 5, batchSize: Int = 500) -> ExportOptions {
    var options = ExportOptions(connections: connections, fetchBatchSize: batchSize)
    options.retry = fastRetry(waits, maxRetries: maxRetries)
    return options
}

/// Import options for the fault tests: no completion report, fast recorded retries.
func faultImportOptions(_ waits: RequestedWaits, connections: Int = 1, maxRetries: Int = 5, batchSize: Int = 64) -> ImportOptions {
    var options = ImportOptions(sendReport: false, connections: connections, batchSize: batchSize)
    options.retry = fastRetry(waits, maxRetries: maxRetries)
    return options
}

/// Runs an export of `server` into `crate`.
func exportFake(_ server: FakeMailServer, to crate: URL, options: ExportOptions, readTimeout: TimeAmount = .seconds(10)) async throws -> ExportSummary {
    try await ExportJob(account: server.account(readTimeout: readTimeout), crate: crate, options: options,
                        tracker: silentTracker(), logger: quietLogger).run()
}

/// Runs an import of `crate` into `server`, its journal under `state`.
func importFake(_ crate: URL, into server: FakeMailServer, state: URL, options: ImportOptions) async throws -> ImportSummary {
    try await ImportJob(crate: crate, account: server.account(), options: options, stateDirectory: state,
                        tracker: silentTracker(), logger: quietLogger).run()
}

/// Per folder, the SHA-256 of each message the crate holds (current records), sorted.
func crateContent(_ crate: URL) throws -> [String: [String]] {
    let reader = try CrateReader(at: crate)
    var result: [String: [String]] = [:]
    for folder in reader.folders where folder.selectable {
        result[folder.name] = try reader.records(in: folder, selection: .current).map(\.sha256).sorted()
    }
    return result
}

/// Lowercase hex SHA-256.
func faultSHA256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}
