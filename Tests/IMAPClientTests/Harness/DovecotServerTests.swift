import Foundation
import Testing
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("DovecotServer harness")
struct DovecotServerTests {
    @Test("a default server greets on its plain port, accepts LOGIN and refuses a wrong password")
    func plainLogin() async throws {
        try await DovecotServer.withServer { server in
            #expect(server.host == "127.0.0.1")
            #expect(server.tlsPort == nil)
            #expect(server.caCertificatePath == nil)
            let user = try #require(server.users.first)
            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                let greeting = try await client.readLine()
                #expect(greeting.hasPrefix("* OK"))
                #expect(!greeting.contains("STARTTLS"))
                let wrong = try await client.command("LOGIN \(user.name) not-the-password")
                #expect(wrong.status == "NO")
                let login = try await client.command("LOGIN \(user.name) \(user.password)")
                #expect(login.isOK)
                #expect(!login.tagged.contains("COMPRESS=DEFLATE"))
                let logout = try await client.command("LOGOUT")
                #expect(logout.isOK)
            }
        }
    }

    @Test("with TLS, implicit TLS and STARTTLS both verify against the generated CA for localhost")
    func tlsLogin() async throws {
        try await DovecotServer.withServer(.init(tls: true)) { server in
            let tlsPort = try #require(server.tlsPort)
            let caPath = try #require(server.caCertificatePath)
            #expect(FileManager.default.fileExists(atPath: caPath))
            let user = try #require(server.users.first)
            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                let greeting = try await client.readLine()
                #expect(greeting.contains("STARTTLS"))
            }
            let implicit = try await opensslSession(port: tlsPort, caPath: caPath, starttls: false,
                                                    user: user, directory: server.directory)
            #expect(implicit.status == 0, "\(implicit.stderr)")
            #expect(implicit.stdout.contains("a OK"))
            #expect(implicit.stderr.contains("Verification: OK"))
            let upgraded = try await opensslSession(port: server.plainPort, caPath: caPath, starttls: true,
                                                    user: user, directory: server.directory)
            #expect(upgraded.status == 0, "\(upgraded.stderr)")
            #expect(upgraded.stdout.contains("a OK"))
            #expect(upgraded.stderr.contains("Verification: OK"))
        }
    }

    @Test("two servers run at once on different ports and directories")
    func concurrentServers() async throws {
        async let first = DovecotServer.start(.init(users: [.init(name: "one", password: "pw-one")]))
        async let second = DovecotServer.start(.init(users: [.init(name: "two", password: "pw-two")],
                                                     separator: .dot))
        let servers = try await [first, second]
        #expect(servers[0].plainPort != servers[1].plainPort)
        #expect(servers[0].directory != servers[1].directory)
        for server in servers {
            let user = server.users[0]
            let loggedIn = try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                _ = try await client.readLine()
                return try await client.command("LOGIN \(user.name) \(user.password)").isOK
            }
            #expect(loggedIn)
        }
        for server in servers { await server.stop() }
    }

    @Test("stop ends every Dovecot process of the instance and removes its directory")
    func stopLeavesNothing() async throws {
        let server = try await DovecotServer.start()
        // A logged-in session makes the master fork imap-login, auth and imap processes.
        try await IMAPLineClient.withConnection(port: server.plainPort) { client in
            _ = try await client.readLine()
            let login = try await client.command("LOGIN alice alice-password")
            #expect(login.isOK)
            #expect(server.runningProcessIDs().count > 1)
            await server.stop()
        }
        #expect(kill(server.pid, 0) == -1 && errno == ESRCH)
        #expect(server.runningProcessIDs().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: server.directory))
        await server.stop()
    }

    @Test("a missing dovecot binary is an error, not a skip")
    func missingBinary() async throws {
        let error = await #expect(throws: TestSupportError.self) {
            try await DovecotServer.start(.init(dovecotPath: "/nonexistent/sbin/dovecot"))
        }
        #expect(error?.code == .dovecotNotInstalled)
        #expect(error?.message.contains("dovecot-imapd") == true)
    }

    @Test("a configuration Dovecot rejects fails start with Dovecot's own words")
    func badConfiguration() async throws {
        let error = await #expect(throws: TestSupportError.self) {
            try await DovecotServer.start(.init(extraConfiguration: ["imapcrate_no_such_setting = 1"]))
        }
        #expect(error?.code == .dovecotFailedToStart)
        #expect(error?.message.contains("imapcrate_no_such_setting") == true)
    }

    @Test("options: COMPRESS=DEFLATE and SPECIAL-USE folders appear when asked for")
    func compressionAndSpecialUse() async throws {
        try await DovecotServer.withServer(.init(compression: true, specialUseFolders: true)) { server in
            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                _ = try await client.readLine()
                let login = try await client.command("LOGIN alice alice-password")
                #expect(login.tagged.contains("COMPRESS=DEFLATE"))
                let list = try await client.command("LIST \"\" \"*\"")
                #expect(list.untagged.contains { $0.contains("\\Sent") && $0.hasSuffix(" Sent") })
                #expect(list.untagged.contains { $0.contains("\\Trash") && $0.hasSuffix(" Trash") })
            }
        }
    }

    /// Runs `openssl s_client` against the server, logs in and out; returns its exit and output.
    private func opensslSession(port: Int, caPath: String, starttls: Bool, user: DovecotServer.User,
                                directory: String) async throws -> ChildProcess.Output {
        let input = "\(directory)/s_client-\(port)-\(starttls).in"
        try Data("a LOGIN \(user.name) \(user.password)\nb LOGOUT\n".utf8).write(to: URL(fileURLWithPath: input))
        var arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", caPath,
                         "-verify_return_error", "-verify_hostname", "localhost", "-brief", "-crlf", "-ign_eof"]
        if starttls { arguments += ["-starttls", "imap"] }
        let openssl = try #require(ExecutableLookup.find("openssl"))
        return try await ChildProcess.run(openssl, arguments, scratchDirectory: directory, stdinPath: input)
    }
}
