import Crate
import IMAPClient
import IMAPProtocol

/// Where every crate folder goes and how much is left to send; with `create`, also makes
/// the destination folders and restores subscriptions.
struct ImportPlan {
    var folders: [ImportSummary.Folder] = []
    /// Messages in the crate, and how many of them (and their bytes) are already imported.
    var messageCount = 0
    var byteCount: UInt64 = 0
    var doneCount = 0
    var doneBytes: UInt64 = 0

    static func make(reader: CrateReader, session: IMAPSession, mapper: FolderMapper, journal: ImportJournal, create: Bool) async throws -> ImportPlan {
        let listing = try await session.listAll()
        let listed = IMAPFolderListing.folders(from: listing)
        var existing = listed.filter(\.selectable)
        // Every name the destination has, as a mailbox or only as a level of its hierarchy.
        var levels = Set(listed.map(\.name))
        let namespace = try await session.namespace()
        let separator = namespace?.personal.first?.delimiter ?? listing.lazy.compactMap(\.delimiter).first
        let prefix = namespace?.personal.first?.prefix.displayName ?? ""
        let destination = FolderMapper.Destination(separator: separator, prefix: prefix, folders: existing)
        var plan = ImportPlan()
        let mappings = reader.folders.map { mapper.map(FolderInfo(manifestFolder: $0), to: destination) }
        for (folder, mapping) in zip(reader.folders, mappings) {
            let isInbox = mapping.destination.uppercased() == "INBOX"
            // A `\Noselect` parent only needs its name to exist as a level of the hierarchy.
            let exists = isInbox || (folder.selectable
                ? existing.contains { $0.name == mapping.destination }
                : levels.contains(mapping.destination))
            if create && !exists && (folder.selectable || !isImplied(mapping.destination, by: mappings, separator: separator)) {
                try await createWithParents(mapping.destination, separator: separator, levels: &levels, session: session)
                existing.append(FolderInfo(name: mapping.destination, components: [mapping.destination], separator: separator))
            }
            if create && folder.subscribed {
                try? await session.subscribe(MailboxName(displayName: mapping.destination))
            }
            var entry = ImportSummary.Folder(
                source: folder.name, destination: mapping.destination, reason: mapping.reason, created: !exists,
                messages: 0, bytes: 0, alreadyPresent: 0, notes: mapping.notes)
            if folder.selectable {
                for item in try FolderImporter.items(reader: reader, folder: folder) {
                    if journal.isDone(item.key) {
                        entry.alreadyPresent += 1
                        plan.doneBytes += UInt64(item.record.size)
                    } else {
                        entry.messages += 1
                        entry.bytes += UInt64(item.record.size)
                    }
                }
            }
            plan.messageCount += entry.messages + entry.alreadyPresent
            plan.doneCount += entry.alreadyPresent
            plan.byteCount += entry.bytes
            plan.folders.append(entry)
        }
        return plan
    }

    /// True when another folder will be created below `name`, which makes `name` a level of
    /// the hierarchy without making it a mailbox (as a `\Noselect` parent was at the source).
    private static func isImplied(_ name: String, by mappings: [FolderMapper.Mapping], separator: Character?) -> Bool {
        guard let separator else { return false }
        return mappings.contains { $0.destination.hasPrefix(name + String(separator)) }
    }

    /// `C: CREATE name`, leaving missing parents to the server (RFC 3501 §6.3.3: it SHOULD create
    /// them), so that levels the crate has only as `\Noselect` parents do not become mailboxes.
    /// A server that refuses gets the missing parents created first, then the name again.
    private static func createWithParents(_ name: String, separator: Character?, levels: inout Set<String>, session: IMAPSession) async throws {
        let parts = separator.map { name.split(separator: $0, omittingEmptySubsequences: false).map(String.init) } ?? [name]
        let parents = (1..<max(1, parts.count)).map { parts.prefix($0).joined(separator: separator.map(String.init) ?? "") }
        do {
            try await session.create(MailboxName(displayName: name))
        } catch let error as IMAPClientError where error.code == .commandFailed {
            let missing = parents.filter { !levels.contains($0) }
            guard !missing.isEmpty else { throw error }
            for parent in missing {
                try await session.create(MailboxName(displayName: parent))
                levels.insert(parent)
            }
            try await session.create(MailboxName(displayName: name))
        }
        levels.formUnion(parents)
        levels.insert(name)
    }
}

extension FolderInfo {
    /// The crate's description of a folder, in the shape both stores share.
    init(manifestFolder folder: Manifest.Folder) {
        self.init(
            name: folder.name, components: folder.pathComponents, separator: folder.separator?.first,
            specialUse: folder.specialUse, subscribed: folder.subscribed, selectable: folder.selectable,
            uidValidity: folder.uidValidity, uidNext: folder.uidNext, highestModSeq: folder.highestModSeq,
            messageCount: folder.messageCount, bytes: UInt64(folder.bytes)
        )
    }
}
