import Crate
import IMAPClient
import IMAPProtocol

/// Where every crate folder goes and how much is left to send; with `create`, also makes
/// the destination folders (parents first) and restores subscriptions.
struct ImportPlan {
    var folders: [ImportSummary.Folder] = []
    /// Messages in the crate, and how many of them (and their bytes) are already imported.
    var messageCount = 0
    var byteCount: UInt64 = 0
    var doneCount = 0
    var doneBytes: UInt64 = 0

    static func make(reader: CrateReader, session: IMAPSession, mapper: FolderMapper, journal: ImportJournal, create: Bool) async throws -> ImportPlan {
        let listing = try await session.listAll()
        var existing = IMAPFolderListing.folders(from: listing).filter(\.selectable)
        let namespace = try await session.namespace()
        let separator = namespace?.personal.first?.delimiter ?? listing.lazy.compactMap(\.delimiter).first
        let prefix = namespace?.personal.first?.prefix.displayName ?? ""
        let destination = FolderMapper.Destination(separator: separator, prefix: prefix, folders: existing)
        var plan = ImportPlan()
        for folder in reader.folders {
            let mapping = mapper.map(FolderInfo(manifestFolder: folder), to: destination)
            let exists = existing.contains { $0.name == mapping.destination || ($0.isInbox && mapping.destination.uppercased() == "INBOX") }
            if create && !exists {
                try await createWithParents(mapping.destination, separator: separator, existing: &existing, session: session)
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

    private static func createWithParents(_ name: String, separator: Character?, existing: inout [FolderInfo], session: IMAPSession) async throws {
        let parts = separator.map { name.split(separator: $0, omittingEmptySubsequences: false).map(String.init) } ?? [name]
        for depth in 1...max(1, parts.count) {
            let partial = parts.prefix(depth).joined(separator: separator.map(String.init) ?? "")
            guard !existing.contains(where: { $0.name == partial }) else { continue }
            try await session.create(MailboxName(displayName: partial))
            existing.append(FolderInfo(name: partial, components: Array(parts.prefix(depth)), separator: separator))
        }
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
