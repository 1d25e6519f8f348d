import ArgumentParser
import Foundation
import IMAPClient
import Transfer

/// TLS and provider options shared by every command that connects.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Fill host, port and TLS from a preset (see `imapcrate providers`).", valueName: "name"))
    var provider: String?

    @Option(name: .long, help: ArgumentHelp("Trust this PEM CA certificate in addition to the system roots.", valueName: "path"))
    var caFile: String?

    @Flag(name: .long, help: "Do not verify the server's TLS certificate. Anyone on the path can then read your password and mail.")
    var insecureSkipVerify = false

    @Flag(name: .long, help: "Allow an unencrypted connection when the server offers no STARTTLS (local or test servers only).")
    var allowPlaintext = false

    @Option(name: .long, help: ArgumentHelp("Seconds of server silence before a command is abandoned (default 120).", valueName: "seconds"))
    var timeout: Int = 120

    @Option(name: .long, help: ArgumentHelp(
        "Compress the IMAP connection (RFC 4978) when the server offers it: auto (not on loopback), on, off.",
        valueName: "mode"))
    var imapCompress: CompressionPolicy = .auto

    func validate() throws {
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file \(caFile) cannot be read.")
        }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
    }

    var tls: ConnectionConfiguration.TLSOptions {
        .init(caFilePath: caFile, insecureSkipVerify: insecureSkipVerify)
    }

    var timeouts: ConnectionConfiguration.Timeouts {
        .init(read: .seconds(Int64(timeout)))
    }
}

/// Where one account's secret comes from. `prefix` distinguishes source and destination
/// for `copy` (`--source-password-file`, `IMAPCRATE_SOURCE_PASSWORD`).
struct SecretOptions {
    var passwordFile: String?
    var oauth2TokenFile: String?
    var oauth2TokenCommand: String?
    var environmentVariable: String
    var role: String

    /// Password file, then OAuth2 token file or command, then the environment, then a prompt.
    func credentials(for address: AccountAddress) throws -> Credentials {
        if let passwordFile {
            return .password(username: address.user, password: try SecretSource.readFile(passwordFile, what: "password"))
        }
        if let oauth2TokenFile {
            return .oauth2(username: address.user, accessToken: try SecretSource.readFile(oauth2TokenFile, what: "OAuth2 token"))
        }
        if let oauth2TokenCommand {
            return .oauth2(username: address.user, accessToken: try SecretSource.runCommand(oauth2TokenCommand, what: "OAuth2 token"))
        }
        if let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty {
            return .password(username: address.user, password: value)
        }
        if let typed = SecretSource.prompt("Password for \(role)\(address.user) at \(address.host): "), !typed.isEmpty {
            return .password(username: address.user, password: typed)
        }
        throw CLIError(.usage, "no password for \(address.user): use --password-file PATH or set \(environmentVariable) (passwords are never taken on the command line)")
    }
}

extension SecretOptions {
    /// What a detached child needs in its environment to log in without asking: the password
    /// when it came from a prompt or the environment (files and token commands are read again).
    func environmentForChild(_ credentials: Credentials) -> [String: String] {
        guard passwordFile == nil, oauth2TokenFile == nil, oauth2TokenCommand == nil,
              case .password(_, let password) = credentials else { return [:] }
        return [environmentVariable: password]
    }
}

/// `--password-file`, `--oauth2-token-file`, `--oauth2-token-command` for single-account commands.
struct CredentialOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the password from this file (else IMAPCRATE_PASSWORD, else a prompt).", valueName: "path"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("Log in with the OAuth2 access token in this file.", valueName: "path"))
    var oauth2TokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Log in with the OAuth2 access token this shell command prints.", valueName: "command"))
    var oauth2TokenCommand: String?

    var secrets: SecretOptions {
        SecretOptions(passwordFile: passwordFile, oauth2TokenFile: oauth2TokenFile, oauth2TokenCommand: oauth2TokenCommand,
                      environmentVariable: "IMAPCRATE_PASSWORD", role: "")
    }
}

extension ConnectionOptions {
    /// Builds the account from its URL and these options.
    func account(_ text: String, secrets: SecretOptions) throws -> Account {
        let address = try AccountAddress.parse(text, provider: provider)
        if insecureSkipVerify {
            Terminal.warning("TLS certificate verification is OFF for \(address.host): the connection can be intercepted")
        }
        return Account(
            address: address,
            credentials: try secrets.credentials(for: address),
            tls: tls,
            allowPlaintext: allowPlaintext,
            timeouts: timeouts,
            compression: imapCompress
        )
    }
}
