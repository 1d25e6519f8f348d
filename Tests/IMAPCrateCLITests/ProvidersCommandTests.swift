import Foundation
import Testing

/// `imapcrate providers [--json]`, run as a binary.
@Suite("imapcrate providers")
struct ProvidersCommandTests {
    /// The presets of the seed service's provider list and the other big ones, in order.
    static let names = ["gmail", "outlook", "yahoo", "aol", "icloud", "orange", "free", "sfr", "laposte",
                        "ovh", "gmx", "fastmail", "zoho", "yandex", "other"]

    @Test("lists the 15 presets with server, port and TLS mode, and exits 0")
    func table() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let outcome = try await runner.run(["providers"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(outcome.stderr.isEmpty, "\(outcome)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true)
        let listed = lines.compactMap { line -> String? in
            guard let first = line.first, !first.isWhitespace else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }.filter { $0 != "NAME" }
        #expect(listed == Self.names)
        let gmail = lines.first { $0.hasPrefix("gmail ") }
        #expect(gmail?.contains("imap.gmail.com") == true)
        #expect(gmail?.contains("993") == true)
        #expect(lines.contains { $0.hasPrefix("other ") && $0.contains("(give HOST)") })
    }

    @Test("--json is one JSON array of the 15 presets with host, port, TLS and login hint")
    func json() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let outcome = try await runner.run(["providers", "--json"])
        #expect(outcome.status == 0, "\(outcome)")
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
        let entries = try #require(parsed as? [[String: Any]])
        #expect(entries.compactMap { $0["name"] as? String } == Self.names)
        for entry in entries {
            let name = entry["name"] as? String ?? "?"
            #expect(entry["port"] as? Int == 993, "\(name)")
            #expect(entry["tls"] as? String == "implicit TLS", "\(name)")
            #expect(["full address", "local part"].contains(entry["login"] as? String ?? ""), "\(name)")
            #expect((entry["displayName"] as? String)?.isEmpty == false, "\(name)")
            if name == "other" {
                #expect(entry["host"] == nil || entry["host"] is NSNull)
            } else {
                #expect((entry["host"] as? String)?.contains(".") == true, "\(name)")
            }
        }
        let free = entries.first { $0["name"] as? String == "free" }
        #expect(free?["login"] as? String == "local part")
        #expect((free?["domains"] as? [String])?.contains("free.fr") == true)
    }
}
