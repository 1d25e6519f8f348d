import Foundation
import Testing
@testable import Transfer

@Suite("Job lock and status")
struct JobLockTests {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("imapcrate-locktest-\(UUID().uuidString)")

    @Test("a second job on the same account is refused with the running job's details")
    func secondJobRefused() throws {
        defer { try? FileManager.default.removeItem(at: state) }
        let first = try JobLock.acquire(account: "alice@host:993", kind: "export", stateDirectory: state)
        first.update(force: true) { $0.messagesTotal = 10; $0.messagesDone = 3 }
        #expect {
            try JobLock.acquire(account: "alice@host:993", kind: "import", stateDirectory: state)
        } throws: { error in
            guard let error = error as? TransferError else { return false }
            return error.code == .locked && error.message.contains("pid \(getpid())") && error.message.contains("export")
                && error.message.contains("3 of 10")
        }
        // Another account is independent.
        _ = try JobLock.acquire(account: "bob@host:993", kind: "export", stateDirectory: state)
        #expect(JobDirectory.statuses(in: state, account: "alice@host:993").first?.state == .running)
        first.release(state: .finished, summary: "10 messages")
        let finished = try #require(JobDirectory.statuses(in: state, account: "alice@host:993").first)
        #expect(finished.state == .finished)
        #expect(finished.summary == "10 messages")
        _ = try JobLock.acquire(account: "alice@host:993", kind: "import", stateDirectory: state)
    }

    @Test("an account without jobs is not-started; state files are private")
    func notStartedAndPermissions() throws {
        defer { try? FileManager.default.removeItem(at: state) }
        #expect(JobDirectory.statuses(in: state, account: "nobody@host:993").first?.state == .notStarted)
        let lock = try JobLock.acquire(account: "carol@host:993", kind: "copy", stateDirectory: state)
        let attributes = try FileManager.default.attributesOfItem(atPath: lock.directory.appendingPathComponent("status.json").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let directory = try FileManager.default.attributesOfItem(atPath: lock.directory.path)
        #expect((directory[.posixPermissions] as? Int) == 0o700)
    }
}
