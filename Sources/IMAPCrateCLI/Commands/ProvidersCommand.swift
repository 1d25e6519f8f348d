import ArgumentParser
import Transfer

/// `imapcrate providers [--json]`: the presets, like the seed service's provider list.
struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List provider presets: server, port, TLS mode, login form and what to know."
    )

    @Flag(name: .long, help: "Print JSON on stdout.")
    var json = false

    struct Entry: Encodable {
        var name: String
        var displayName: String
        var host: String?
        var port: Int
        var tls: String
        var login: String
        var notes: String
        var domains: [String]
        var maxConnections: Int?
        var throttling: String?
    }

    func run() async throws {
        let entries = ProviderPreset.all.map { preset in
            Entry(
                name: preset.name, displayName: preset.displayName, host: preset.host, port: preset.port,
                tls: preset.security == .implicitTLS ? "implicit TLS" : "STARTTLS",
                login: preset.loginHint.rawValue, notes: preset.notes, domains: preset.domains,
                maxConnections: preset.maxConnections, throttling: preset.throttling
            )
        }
        if json {
            try Terminal.json(entries)
            return
        }
        Terminal.out(Format.column("NAME", 10) + Format.column("SERVER", 24) + Format.column("PORT", 6) + Format.column("TLS", 14) + "LOGIN")
        for entry in entries {
            Terminal.out(
                Format.column(entry.name, 10) + Format.column(entry.host ?? "(give HOST)", 24) + Format.column("\(entry.port)", 6)
                    + Format.column(entry.tls, 14) + entry.login
            )
            Terminal.out("          \(entry.displayName): \(entry.notes)")
            if let throttling = entry.throttling {
                Terminal.out("          throttles: \(throttling); imapcrate uses at most \(entry.maxConnections ?? 1) connections")
            }
        }
    }
}
