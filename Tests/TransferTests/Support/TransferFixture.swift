import Foundation
import IMAPClient
import IMAPProtocol
import Logging
import TestSupport
import Transfer

/// Accounts, sessions and scratch directories for the Transfer tests against a real Dovecot.
extension DovecotServer {
    /// Plain IMAP (no TLS) to `user` on this server, credentials in clear text allowed.
    func account(_ user: String) throws -> Account {
        guard let entry = users.first(where: { $0.name == user }) else {
            throw TestSetupError("no user \(user) on this Dovecot")
        }
        return Account(
            address: AccountAddress(user: user, host: host, port: plainPort, security: .plain),
            credentials: .password(username: entry.name, password: entry.password),
            allowPlaintext: true
        )
    }

    /// Logs in as `user`, runs `body`, logs out.
    func withSession<Result>(_ user: String, _ body: (IMAPSession) async throws -> Result) async throws -> Result {
        try await account(user).withSession(logger: quietLogger, body)
    }
}

/// Users `name` with the password `name-password`, one per name.
func testUsers(_ names: [String]) -> [DovecotServer.User] {
    names.map { DovecotServer.User(name: $0, password: "\($0)-password") }
}

/// A logger that only reports errors, so test output stays readable.
let quietLogger: Logger = {
    var logger = Logger(label: "imapcrate.tests")
    logger.logLevel = .error
    return logger
}()

/// A progress tracker that reports to nobody.
func silentTracker() -> ProgressTracker { ProgressTracker(observer: nil, job: nil) }

/// A fresh directory under the temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("imapcrate-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` with a scratch directory that is removed afterwards, whatever happens.
func withScratch<Result>(_ label: String, _ body: (ScratchDirectory) async throws -> Result) async throws -> Result {
    let scratch = try ScratchDirectory(label)
    defer { scratch.remove() }
    return try await body(scratch)
}

/// A test precondition that did not hold.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
