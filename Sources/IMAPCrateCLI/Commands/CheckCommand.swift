import ArgumentParser
import Transfer

/// `imapcrate check ACCOUNT`: the seed service's "test the connection" step.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Test connection, TLS and login; show the server, its capabilities and every folder's size.",
        discussion: "Nothing on the server is changed: folders are opened read-only."
    )

    @Argument(help: ArgumentHelp("imaps://USER@HOST[:PORT], imap://USER@HOST[:PORT] (STARTTLS), or an address with --provider.", valueName: "account"))
    var account: String

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let account = try connection.account(self.account, secrets: credentials.secrets)
        let report = try await AccountCheck.run(account, logger: global.makeLogger(label: "imapcrate.check"))
        if global.json {
            try Terminal.json(report)
            return
        }
        guard !global.quiet else { return }
        Terminal.out("\(report.account): connected, \(report.tls), logged in as \(account.address.user)")
        if let name = report.server["name"] {
            Terminal.out("server: " + [name, report.server["version"]].compactMap { $0 }.joined(separator: " "))
        }
        Terminal.out("capabilities: \(report.capabilities.joined(separator: " "))")
        let prefix = report.namespacePrefix.isEmpty ? "(none)" : "\"\(report.namespacePrefix)\""
        Terminal.out("namespace prefix: \(prefix), hierarchy separator: \(report.separator.map { "\"\($0)\"" } ?? "none")")
        Terminal.out("")
        Terminal.out(Format.column("FOLDER", 40) + Format.column("MESSAGES", 10, right: true) + Format.column("SIZE", 12, right: true))
        for folder in report.folders {
            let messages = folder.selectable ? "\(folder.messages)" : "-"
            let size = folder.selectable ? Format.bytes(folder.bytes) : "-"
            Terminal.out(Format.column(folder.name, 40) + Format.column(messages, 10, right: true) + Format.column(size, 12, right: true))
        }
        Terminal.out("total: \(report.folders.count) folders, \(report.totalMessages) messages, \(Format.bytes(report.totalBytes))")
    }
}
