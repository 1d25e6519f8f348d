import Foundation

extension DovecotServer {
    /// Writes `messages` straight into `folder` of `user`'s Maildir (creating the folder, even
    /// with no messages), much faster than APPEND. Dovecot picks them up at its next sync.
    ///
    /// `folder` is the IMAP name in wire form (modified UTF-7 for non-ASCII, RFC 3501 §5.1.3)
    /// with the configured separator: with `/`, `Projects/2024` is the Maildir++ directory
    /// `.Projects.2024`. Parents are not created. Names whose parts contain `.` or `/` cannot be
    /// stored in Maildir++ and are rejected. Flags: system flags only (see `SeedMessage`).
    public func seed(user: String, folder: String, messages: [SeedMessage]) throws {
        try seed(user: user, folder: folder, count: messages.count) { messages[$0] }
    }

    /// Like `seed(user:folder:messages:)`, making message `i` with `message(i)` for i in
    /// 0..<count, so a large folder never sits in memory.
    public func seed(user: String, folder: String, count: Int, message: (Int) -> SeedMessage) throws {
        let directory = try prepareFolder(user: user, folder: folder)
        let stem = "\(getpid())R\(UUID().uuidString.prefix(8)).imapcrate-seed"
        for index in 0..<count {
            let item = message(index)
            let seconds = Int(item.internalDate.timeIntervalSince1970)
            let name = "\(seconds).M\(index)P\(stem),S=\(item.bytes.count),W=\(item.virtualSize)\(item.infoSuffix)"
            try writeMessageFile(item, name: name, folderDirectory: directory)
        }
    }

    /// Adds `folders` (IMAP names with the configured separator) to `user`'s subscriptions, in
    /// Dovecot 2.3's file format: a `V\t2` header, then one name a line with the hierarchy
    /// separated by tabs.
    public func subscribe(user: String, folders: [String]) throws {
        let root = try prepareFolder(user: user, folder: "INBOX")
        let path = "\(root)/subscriptions"
        let header = "V\t2\n\n"
        var names: [String] = []
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.hasPrefix(header) {
            names = existing.dropFirst(header.count).split(separator: "\n").map(String.init)
        }
        for folder in folders {
            let name = folder.split(separator: configuration.separator.character, omittingEmptySubsequences: false)
                .joined(separator: "\t")
            if !names.contains(name) { names.append(name) }
        }
        try Self.write(header + names.map { $0 + "\n" }.joined(), to: path, mode: 0o600)
        try mailOwner.take(path)
    }

    /// The Maildir++ directory of `folder`, created with cur/new/tmp and owned by the mail owner.
    func prepareFolder(user: String, folder: String) throws -> String {
        guard users.contains(where: { $0.name == user }) else {
            throw TestSupportError(.invalidArgument, "no user \(user) in this server's configuration")
        }
        let root = maildirPath(user: user)
        try makeMaildir(root, marker: false)
        if folder.uppercased() == "INBOX" { return root }
        let parts = folder.split(separator: configuration.separator.character, omittingEmptySubsequences: false)
        for part in parts {
            let invalid = part.isEmpty || part.contains(".") || part.contains("/")
                || part.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E }
            guard !invalid else {
                throw TestSupportError(.invalidArgument,
                                       "folder \"\(folder)\" cannot be seeded: parts must be non-empty printable ASCII (modified UTF-7) without '.' or '/'")
            }
        }
        let directory = "\(root)/." + parts.joined(separator: ".")
        try makeMaildir(directory, marker: true)
        return directory
    }

    private func makeMaildir(_ directory: String, marker: Bool) throws {
        let manager = FileManager.default
        var created: [String] = []
        for path in [directory, "\(directory)/cur", "\(directory)/new", "\(directory)/tmp"]
        where !manager.fileExists(atPath: path) {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            } catch {
                throw TestSupportError(.fileSystem, "cannot create \(path)", cause: error)
            }
            created.append(path)
        }
        if marker && !manager.fileExists(atPath: "\(directory)/maildirfolder") {
            _ = manager.createFile(atPath: "\(directory)/maildirfolder", contents: nil,
                               attributes: [.posixPermissions: 0o600])
            created.append("\(directory)/maildirfolder")
        }
        for path in created { try mailOwner.take(path) }
    }

    /// Writes into tmp/, sets owner and mtime, then renames into cur/ (the Maildir delivery
    /// protocol, so Dovecot never sees a half-written file).
    private func writeMessageFile(_ message: SeedMessage, name: String, folderDirectory: String) throws {
        let temporary = "\(folderDirectory)/tmp/\(name)"
        let final = "\(folderDirectory)/cur/\(name)"
        let manager = FileManager.default
        guard manager.createFile(atPath: temporary, contents: Data(message.bytes),
                                 attributes: [.posixPermissions: 0o600]) else {
            throw TestSupportError(.fileSystem, "cannot write \(temporary)")
        }
        do {
            try manager.setAttributes([.modificationDate: message.internalDate], ofItemAtPath: temporary)
            try mailOwner.take(temporary)
            try manager.moveItem(atPath: temporary, toPath: final)
        } catch let error as TestSupportError {
            throw error
        } catch {
            throw TestSupportError(.fileSystem, "cannot deliver \(final)", cause: error)
        }
    }
}
