import Foundation
import Testing
import TestSupport

/// Passwords never reach logs, output, crates, state files or the command line, even with
/// --verbose protocol traces; state files are private.
@Suite("Secrets stay secret")
struct SecretsTests {
    static let alicePassword = "S3cret-Al1ce-\(UUID().uuidString.prefix(8))"
    static let bobPassword = "S3cret-B0b-\(UUID().uuidString.prefix(8))"

    /// Every file below `directory` that contains `needle`.
    static func files(in directory: URL, containing needle: String) -> [String] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var found: [String] = []
        let needleBytes = Data(needle.utf8)
        let encoded = Data(Data(needle.utf8).base64EncodedString().utf8)
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  !url.lastPathComponent.hasPrefix("secret-"),
                  let data = try? Data(contentsOf: url) else { continue }
            if data.range(of: needleBytes) != nil || data.range(of: encoded) != nil { found.append(url.path) }
        }
        return found
    }

    @Test("a verbose export, import and copy leave the passwords in no output and no file, and state files are 0600")
    func noLeaks() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let alice = DovecotServer.User(name: "alice", password: Self.alicePassword)
        let bob = DovecotServer.User(name: "bob", password: Self.bobPassword)
        let carol = DovecotServer.User(name: "carol", password: Self.bobPassword)
        try await DovecotServer.withServer(.init(users: [alice, bob, carol], tls: true)) { server in
            try server.seed(user: "alice", folder: "INBOX", count: 5) { .sample(number: $0) }
            let port = try #require(server.tlsPort)
            let ca = try #require(server.caCertificatePath)
            let crate = runner.directory.appendingPathComponent("alice.crate").path
            let source = "imaps://alice@127.0.0.1:\(port)"
            let destination = "imaps://bob@127.0.0.1:\(port)"
            var outcomes: [CommandRunner.Outcome] = []
            outcomes.append(try await runner.run(["export", source, crate, "--ca-file", ca, "--verbose"],
                                                 environment: ["IMAPCRATE_PASSWORD": Self.alicePassword]))
            outcomes.append(try await runner.run(["import", crate, destination, "--ca-file", ca, "--verbose",
                                                  "--password-file", try runner.secretFile(Self.bobPassword)]))
            outcomes.append(try await runner.run(["copy", source, "imaps://carol@127.0.0.1:\(port)", "--ca-file", ca, "--verbose"],
                                                 environment: ["IMAPCRATE_SOURCE_PASSWORD": Self.alicePassword,
                                                               "IMAPCRATE_DEST_PASSWORD": Self.bobPassword]))
            // A failed login, whose error line must not quote the password either.
            outcomes.append(try await runner.run(["check", source, "--ca-file", ca, "--verbose"],
                                                 environment: ["IMAPCRATE_PASSWORD": "wrong-\(Self.alicePassword)"]))
            for (index, outcome) in outcomes.enumerated() {
                #expect(outcome.status == (index == 3 ? 16 : 0), "\(outcome)")
                for secret in [Self.alicePassword, Self.bobPassword] {
                    #expect(!outcome.stdout.contains(secret) && !outcome.stderr.contains(secret), "run \(index) leaked a password")
                }
            }
            #expect(outcomes[0].stderr.contains("LOGIN"), "the verbose trace shows the protocol: \(outcomes[0].stderr.prefix(400))")
            for secret in [Self.alicePassword, Self.bobPassword] {
                #expect(Self.files(in: runner.directory, containing: secret).isEmpty)
            }
            let state = runner.directory.appendingPathComponent("state")
            let walker = try #require(FileManager.default.enumerator(at: state, includingPropertiesForKeys: nil))
            for case let url as URL in walker {
                let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
                let mode = (attributes[.posixPermissions] as? Int ?? 0) & 0o077
                #expect(mode == 0, "\(url.path) is readable by others")
            }
        }
    }
}
