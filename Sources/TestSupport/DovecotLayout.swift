/// Where one Dovecot instance keeps its files, all under one temporary directory.
struct DovecotLayout: Sendable {
    /// The instance's temporary directory (mode 0755, so Dovecot's unprivileged users can reach
    /// what is inside).
    let root: String

    var configPath: String { "\(root)/dovecot.conf" }
    var passwdPath: String { "\(root)/passwd" }
    var logPath: String { "\(root)/dovecot.log" }
    var stdoutPath: String { "\(root)/dovecot.stdout" }
    var baseDirectory: String { "\(root)/run" }
    var stateDirectory: String { "\(root)/state" }
    var mailDirectory: String { "\(root)/mail" }
    var tlsDirectory: String { "\(root)/tls" }
    var caCertificatePath: String { "\(tlsDirectory)/ca.pem" }
    var caKeyPath: String { "\(tlsDirectory)/ca.key" }
    var serverCertificatePath: String { "\(tlsDirectory)/server.pem" }
    var serverKeyPath: String { "\(tlsDirectory)/server.key" }

    /// The user's home: Dovecot keeps index and control files here for overridden locations.
    func home(user: String) -> String { "\(mailDirectory)/\(user)" }

    /// The user's default Maildir (`mail_location = maildir:<root>/mail/%u/Maildir`).
    func defaultMaildir(user: String) -> String { "\(home(user: user))/Maildir" }
}
