import IMAPClient

/// A mail provider's IMAP settings, as the seed service's "pick your provider" list offers.
public struct ProviderPreset: Hashable, Sendable {
    /// How the provider expects the login name.
    public enum LoginHint: String, Hashable, Sendable {
        /// `alice@example.com`
        case fullAddress = "full address"
        /// `alice` (the part before `@`)
        case localPart = "local part"
    }

    /// Short name used with `--provider`.
    public var name: String
    public var displayName: String
    /// nil for `other`: the host must come from the account URL.
    public var host: String?
    public var port: Int
    public var security: ConnectionConfiguration.Security
    public var loginHint: LoginHint
    /// What the user must know to log in (app passwords, OAuth2, enabling IMAP).
    public var notes: String
    /// Address domains that select this preset automatically.
    public var domains: [String]
    /// Most parallel connections the provider tolerates before it throttles; nil: no known cap.
    public var maxConnections: Int? = nil
    /// How the provider is known to throttle, for `providers`.
    public var throttling: String? = nil
}

extension ProviderPreset {
    /// Every known preset, in the order `providers` lists them.
    public static let all: [ProviderPreset] = [
        ProviderPreset(
            name: "gmail", displayName: "Gmail / Google Workspace", host: "imap.gmail.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress,
            notes: "needs an app password (2-Step Verification on) or an OAuth2 token (--oauth2-token-file); IMAP enabled in settings",
            domains: ["gmail.com", "googlemail.com"],
            maxConnections: 4, throttling: "download about 2.5 GB and upload about 500 MB per day; answers \"bandwidth limits\" and is waited out"
        ),
        ProviderPreset(
            name: "outlook", displayName: "Outlook.com / Microsoft 365", host: "outlook.office365.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress,
            notes: "Microsoft 365 accepts only OAuth2 (--oauth2-token-file or --oauth2-token-command); Outlook.com may accept an app password",
            domains: ["outlook.com", "hotmail.com", "live.com", "msn.com", "outlook.fr", "hotmail.fr", "live.fr"],
            maxConnections: 2, throttling: "Exchange Online slows clients with \"Suggested Backoff Time\"; imapcrate waits as asked"
        ),
        ProviderPreset(
            name: "yahoo", displayName: "Yahoo Mail", host: "imap.mail.yahoo.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "needs an app password generated in the account security settings",
            domains: ["yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "rocketmail.com"],
            maxConnections: 2, throttling: "drops busy connections; imapcrate reconnects and resumes"
        ),
        ProviderPreset(
            name: "aol", displayName: "AOL Mail", host: "imap.aol.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "needs an app password generated in the account security settings",
            domains: ["aol.com", "aol.fr", "aim.com"],
            maxConnections: 2, throttling: "drops busy connections; imapcrate reconnects and resumes"
        ),
        ProviderPreset(
            name: "icloud", displayName: "iCloud Mail", host: "imap.mail.me.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "needs an app-specific password (appleid.apple.com)",
            domains: ["icloud.com", "me.com", "mac.com"],
            maxConnections: 2, throttling: "limits parallel connections"
        ),
        ProviderPreset(
            name: "orange", displayName: "Orange", host: "imap.orange.fr", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "the mailbox password, not the Orange customer-area password",
            domains: ["orange.fr", "wanadoo.fr"]
        ),
        ProviderPreset(
            name: "free", displayName: "Free", host: "imap.free.fr", port: 993, security: .implicitTLS,
            loginHint: .localPart, notes: "login is the part before @free.fr; IMAP must be enabled in the Free webmail settings",
            domains: ["free.fr"]
        ),
        ProviderPreset(
            name: "sfr", displayName: "SFR", host: "imap.sfr.fr", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "the mailbox password",
            domains: ["sfr.fr", "neuf.fr", "cegetel.net"]
        ),
        ProviderPreset(
            name: "laposte", displayName: "La Poste Mail", host: "imap.laposte.net", port: 993, security: .implicitTLS,
            loginHint: .localPart, notes: "login is the part before @laposte.net",
            domains: ["laposte.net"]
        ),
        ProviderPreset(
            name: "ovh", displayName: "OVHcloud (MX Plan / Email Pro)", host: "ssl0.ovh.net", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "Exchange accounts at OVHcloud use their own server name: give it in the account URL",
            domains: []
        ),
        ProviderPreset(
            name: "gmx", displayName: "GMX", host: "imap.gmx.net", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "enable \"POP3/IMAP access\" in the GMX settings first",
            domains: ["gmx.net", "gmx.de", "gmx.com", "gmx.fr", "gmx.at", "gmx.ch"],
            maxConnections: 2, throttling: "limits parallel connections"
        ),
        ProviderPreset(
            name: "fastmail", displayName: "Fastmail", host: "imap.fastmail.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "needs an app password with IMAP access",
            domains: ["fastmail.com", "fastmail.fm"]
        ),
        ProviderPreset(
            name: "zoho", displayName: "Zoho Mail", host: "imap.zoho.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "enable IMAP access in Zoho Mail settings; app password when 2FA is on; EU accounts use imap.zoho.eu",
            domains: ["zoho.com", "zohomail.com"]
        ),
        ProviderPreset(
            name: "yandex", displayName: "Yandex Mail", host: "imap.yandex.com", port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "needs an app password; enable IMAP in the mail client settings",
            domains: ["yandex.com", "yandex.ru", "ya.ru"]
        ),
        ProviderPreset(
            name: "other", displayName: "Other IMAP server", host: nil, port: 993, security: .implicitTLS,
            loginHint: .fullAddress, notes: "give the server in the account URL: imaps://USER@HOST[:PORT] or imap://USER@HOST[:PORT] (STARTTLS)",
            domains: []
        ),
    ]

    /// The preset called `name` (case-insensitive).
    public static func named(_ name: String) -> ProviderPreset? {
        all.first { $0.name == name.lowercased() }
    }

    /// The preset whose domains include the address's domain.
    public static func matching(address: String) -> ProviderPreset? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)...].lowercased()
        return all.first { $0.domains.contains(domain) }
    }
}
