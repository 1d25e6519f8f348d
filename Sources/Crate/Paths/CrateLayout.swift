/// Where things live inside a crate directory.
///
/// ```
/// CRATE/manifest.json            the manifest
/// CRATE/index/KEY.jsonl          one index per folder
/// CRATE/maildir/{cur,new,tmp}    INBOX (Maildir++ root)
/// CRATE/maildir/.KEY/…           every other folder, with a `maildirfolder` marker
/// CRATE/mbox/KEY.mbox.gz         or, in mbox format, one file per folder (`.mbox` uncompressed)
/// ```
/// KEY is the escaped, collision-free folder name from `FolderKeyAllocator`.
enum CrateLayout {
    static let indexDirectory = "index"
    static let maildirDirectory = "maildir"
    static let mboxDirectory = "mbox"
    static let maildirSubdirectories = ["cur", "new", "tmp"]
    static let maildirFolderMarker = "maildirfolder"

    /// The relative data location of a folder.
    static func location(key: String, format: MailFormat, compression: CompressionKind, isInbox: Bool) -> String {
        switch format {
        case .maildir:
            return isInbox && key == "INBOX" ? maildirDirectory : maildirDirectory + "/." + key
        case .mbox:
            return mboxDirectory + "/" + key + (compression == .gzip ? ".mbox.gz" : ".mbox")
        }
    }

    /// The relative index path of a folder.
    static func indexFile(key: String) -> String {
        indexDirectory + "/" + key + ".jsonl"
    }

    /// The top directory holding a format's data.
    static func dataDirectory(_ format: MailFormat) -> String {
        format == .maildir ? maildirDirectory : mboxDirectory
    }

    /// Checks a Maildir record location: `cur/NAME` or `new/NAME`, NAME one safe component.
    static func validateMessageFile(_ file: String, indexPath: String) throws {
        let components = try RelativePath.validate(file, in: indexPath, what: "message file")
        guard components.count == 2, components[0] == "cur" || components[0] == "new" else {
            throw CrateError(
                .unsafePath,
                "message file \"\(file)\" in \(indexPath) is not inside cur/ or new/; the index may have been "
                    + "tampered with. Restore it from a backup or export again",
                path: indexPath)
        }
    }
}
