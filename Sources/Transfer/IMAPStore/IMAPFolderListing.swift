import IMAPClient
import IMAPProtocol

/// Turns LIST responses into `FolderInfo`s: names decoded, hierarchy split, special use and
/// subscription noted, and parents that the server lists implicitly (or not at all) added
/// so that every level of the tree exists.
enum IMAPFolderListing {
    static func folders(from listing: [ListResponse]) -> [FolderInfo] {
        var result: [FolderInfo] = []
        var seen: Set<String> = []
        for entry in listing {
            let name = entry.mailbox.isInbox ? "INBOX" : entry.mailbox.displayName
            guard !seen.contains(name), !entry.hasAttribute("\\NonExistent") else { continue }
            seen.insert(name)
            let components = split(name, separator: entry.delimiter)
            result.append(FolderInfo(
                name: name,
                components: components,
                separator: entry.delimiter,
                specialUse: FolderInfo.specialUseAttributes.first { entry.hasAttribute($0) },
                subscribed: entry.hasAttribute("\\Subscribed"),
                selectable: !entry.hasAttribute("\\Noselect"),
                wireName: entry.mailbox.bytes
            ))
        }
        // Parents missing from the listing (RFC 3501 lets servers omit them).
        for folder in result {
            guard let separator = folder.separator, folder.components.count > 1 else { continue }
            for depth in 1..<folder.components.count {
                let prefix = Array(folder.components.prefix(depth))
                let name = prefix.joined(separator: String(separator))
                guard !seen.contains(name) else { continue }
                seen.insert(name)
                result.append(FolderInfo(name: name, components: prefix, separator: separator, selectable: false))
            }
        }
        return result.sorted { lhs, rhs in
            if lhs.isInbox != rhs.isInbox { return lhs.isInbox }
            return lhs.components.lexicographicallyPrecedes(rhs.components)
        }
    }

    /// Takes the personal namespace prefix (`INBOX.` on Courier-style servers, RFC 2342 §5)
    /// off the path components, so a crate records the user's hierarchy rather than the
    /// server's layout: `INBOX.Archive.2024` gets the components `["Archive", "2024"]` and lands
    /// as `Archive/2024` on a server without a prefix. Names and wire names are kept as sent.
    static func removingNamespacePrefix(_ prefix: String, from folders: [FolderInfo]) -> [FolderInfo] {
        guard !prefix.isEmpty else { return folders }
        return folders.map { folder in
            guard !folder.isInbox, folder.name.count > prefix.count, folder.name.hasPrefix(prefix) else { return folder }
            var stripped = folder
            stripped.components = split(String(folder.name.dropFirst(prefix.count)), separator: folder.separator)
            return stripped
        }
    }

    static func split(_ name: String, separator: Character?) -> [String] {
        guard let separator else { return [name] }
        return name.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
