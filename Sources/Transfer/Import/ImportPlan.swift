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
    /// Messages of folders the destination would not create, even under a repaired name.
    var skipped: [ImportSummary.Skipped] = []

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
            // A `\Noselect` parent only needs its name to exist as a level of the hierarchy.
            func exists(_ name: String) -> Bool {
                name.uppercased() == "INBOX" || (folder.selectable ? existing.contains { $0.name == name } : levels.contains(name))
            }
            // A parent that folders below it will bring into being is not a mailbox to create.
            let implied = !folder.selectable && isImplied(mapping.destination, by: mappings, separator: separator)
            var entry = ImportSummary.Folder(
                source: folder.name, destination: mapping.destination, reason: mapping.reason,
                created: !implied && !exists(mapping.destination), messages: 0, bytes: 0, alreadyPresent: 0, notes: mapping.notes)
            var refusal: String?
            if create && entry.created {
                let outcome = try await createOrRepair(
                    entry.destination, selectable: folder.selectable, existing: existing, separator: separator, levels: &levels, session: session)
                switch outcome {
                case .created:
                    break
                case .repaired(let name, let isNew, let note):
                    entry.destination = name
                    entry.created = isNew
                    entry.notes.append(note)
                case .refused(let reason):
                    refusal = reason
                    entry.created = false
                    entry.notes.append(reason)
                }
                if refusal == nil {
                    existing.append(FolderInfo(name: entry.destination, components: [entry.destination], separator: separator))
                }
            }
            if create && folder.subscribed && refusal == nil {
                try? await session.subscribe(MailboxName(displayName: entry.destination))
            }
            if folder.selectable, let refusal {
                for item in try FolderImporter.items(reader: reader, folder: folder) where !journal.isDone(item.key) {
                    plan.skipped.append(.init(folder: folder.name, uid: item.record.uid, size: item.record.size, reason: refusal))
                }
            } else if folder.selectable {
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

    /// How creating one destination folder went.
    enum CreateOutcome {
        case created
        /// The destination refused the name; `name` (new unless it already existed) is used.
        case repaired(name: String, isNew: Bool, note: String)
        /// Refused under its name and its repaired name: the folder's messages are skipped.
        case refused(String)
    }

    /// CREATE `name`; when the destination refuses it (a mailbox-scoped failure), the
    /// `RefusedNameRepair` form of the name is used instead, and if that is refused too the
    /// folder is given up, so one bad name never stops the whole import.
    private static func createOrRepair(
        _ name: String, selectable: Bool, existing: [FolderInfo], separator: Character?, levels: inout Set<String>, session: IMAPSession
    ) async throws -> CreateOutcome {
        do {
            try await createWithParents(name, separator: separator, levels: &levels, session: session)
            return .created
        } catch let error as IMAPClientError where error.code == .commandFailed {
            let reason = error.response?.text ?? error.message
            let repaired = RefusedNameRepair.repaired(name, separator: separator)
            let note = "the destination refused the name \"\(name)\" (\(reason)); using \"\(repaired)\""
            guard repaired != name else { return .refused("the destination refused to create the folder \"\(name)\": \(reason)") }
            if selectable ? existing.contains(where: { $0.name == repaired }) : levels.contains(repaired) {
                return .repaired(name: repaired, isNew: false, note: note)
            }
            do {
                try await createWithParents(repaired, separator: separator, levels: &levels, session: session)
                return .repaired(name: repaired, isNew: true, note: note)
            } catch let second as IMAPClientError where second.code == .commandFailed {
                let text = second.response?.text ?? second.message
                return .refused("the destination refused to create the folder \"\(name)\" and \"\(repaired)\": \(text)")
            }
        }
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
