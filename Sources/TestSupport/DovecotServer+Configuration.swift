extension DovecotServer {
    /// How one Dovecot instance is set up. The defaults give one user (`alice`), the `/`
    /// separator, plain IMAP only, the zlib plugin on and no COMPRESS.
    public struct Configuration: Sendable {
        /// The accounts in the passwd-file (passdb and userdb). Default: `[User.alice]`.
        public var users: [User]
        /// The hierarchy separator of the inbox namespace (prefix "").
        public var separator: Separator
        /// Adds STARTTLS on the plain port and an implicit-TLS port, with a CA and a server
        /// certificate for `localhost` / 127.0.0.1 made at start with the `openssl` CLI.
        public var tls: Bool
        /// Loads `imap_zlib`, so the server offers COMPRESS=DEFLATE (RFC 4978).
        public var compression: Bool
        /// Auto-created, subscribed Drafts, Sent, Trash, Junk and Archive with their RFC 6154
        /// SPECIAL-USE attributes.
        public var specialUseFolders: Bool
        /// Lines appended verbatim at the end of the generated dovecot.conf.
        public var extraConfiguration: [String]
        /// The `dovecot` binary; nil looks it up on PATH and in the sbin directories.
        public var dovecotPath: String?
        /// How long `start` waits for the greeting before it fails with the log's last lines.
        public var startupTimeout: Duration

        public init(
            users: [User] = [.alice],
            separator: Separator = .slash,
            tls: Bool = false,
            compression: Bool = false,
            specialUseFolders: Bool = false,
            extraConfiguration: [String] = [],
            dovecotPath: String? = nil,
            startupTimeout: Duration = .seconds(15)
        ) {
            self.users = users
            self.separator = separator
            self.tls = tls
            self.compression = compression
            self.specialUseFolders = specialUseFolders
            self.extraConfiguration = extraConfiguration
            self.dovecotPath = dovecotPath
            self.startupTimeout = startupTimeout
        }
    }

    /// The hierarchy separator of the inbox namespace. On disk Dovecot's Maildir++ layout
    /// always uses `.` (folder `A/B` is the directory `.A.B`).
    public enum Separator: String, Sendable {
        case slash = "/"
        case dot = "."

        public var character: Character { Character(rawValue) }
    }

    /// One account in the passwd-file.
    public struct User: Sendable, Hashable {
        /// The login name; may contain `@`, not `:`, `/`, whitespace.
        public var name: String
        /// The password, stored `{PLAIN}`; may not contain `:` or line breaks.
        public var password: String
        /// A per-user `mail` userdb field overriding `mail_location` (used verbatim; `%`
        /// variables expand when Dovecot reads the passwd-file, `~` is the user's home).
        /// When it is `maildir:PATH…` and the tests run as root, `start` gives PATH to the
        /// mail owner and makes its ancestors searchable so Dovecot can open it.
        public var mailLocation: String?

        public init(name: String, password: String, mailLocation: String? = nil) {
            self.name = name
            self.password = password
            self.mailLocation = mailLocation
        }

        /// The default account: `alice` / `alice-password`.
        public static let alice = User(name: "alice", password: "alice-password")

        /// A `mailLocation` that serves an existing Maildir++ tree (for example a crate's
        /// `maildir` directory) while keeping Dovecot's index and control files (dovecot.index*,
        /// dovecot-uidlist) in the user's home, outside the tree.
        public static func maildirLocation(_ path: String) -> String {
            "maildir:\(path):INDEX=~/index:CONTROL=~/control"
        }

        /// The directory of a `maildir:` mail location, if it is one.
        var overrideMaildirPath: String? {
            guard let mailLocation, mailLocation.hasPrefix("maildir:") else { return nil }
            let rest = mailLocation.dropFirst("maildir:".count)
            return String(rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        }
    }
}

extension DovecotServer.Configuration {
    /// Rejects values that would corrupt the passwd-file or the mail paths.
    func validate() throws {
        guard !users.isEmpty else {
            throw TestSupportError(.invalidArgument, "a Dovecot configuration needs at least one user")
        }
        var seen = Set<String>()
        for user in users {
            let badName = user.name.isEmpty || user.name == "." || user.name == ".."
                || user.name.contains(where: { $0 == ":" || $0 == "/" || $0.isWhitespace || $0 == "%" })
            guard !badName else {
                throw TestSupportError(.invalidArgument,
                                       "user name \"\(user.name)\" cannot be used: no ':', '/', '%', whitespace, '.' or '..'")
            }
            guard seen.insert(user.name).inserted else {
                throw TestSupportError(.invalidArgument, "user \"\(user.name)\" is listed twice")
            }
            guard !user.password.contains(where: { $0 == ":" || $0.isNewline }) else {
                throw TestSupportError(.invalidArgument, "the password of \(user.name) may not contain ':' or line breaks")
            }
            if let location = user.mailLocation, location.isEmpty || location.contains(where: \.isWhitespace) {
                throw TestSupportError(.invalidArgument,
                                       "the mail location of \(user.name) must be non-empty and contain no whitespace")
            }
        }
    }
}
