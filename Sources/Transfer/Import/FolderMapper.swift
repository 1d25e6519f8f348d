/// Decides where each crate folder lands at the destination: INBOX to INBOX, `--map`
/// overrides (children follow their parent), special-use folders to the destination's folder
/// of the same use, everything else by its hierarchy rebuilt with the destination's
/// separator and namespace prefix. Characters the destination cannot hold in a name (its
/// separator inside a component) become `_`, and each such change is reported.
public struct FolderMapper: Sendable {
    /// One crate folder and its destination.
    public struct Mapping: Sendable, Hashable, Codable {
        public var source: String
        public var destination: String
        /// Why it goes there: `inbox`, `map`, `special-use \Sent`, `name`.
        public var reason: String
        /// Changes made to fit the destination's naming rules.
        public var notes: [String]
    }

    public struct Destination: Sendable {
        public var separator: Character?
        /// The personal namespace prefix, e.g. `INBOX.` on some servers, usually empty.
        public var prefix: String
        public var folders: [FolderInfo]

        public init(separator: Character?, prefix: String, folders: [FolderInfo]) {
            self.separator = separator
            self.prefix = prefix
            self.folders = folders
        }
    }

    public var explicitMaps: [(String, String)]
    public var automap: Bool

    public init(explicitMaps: [(String, String)] = [], automap: Bool = true) {
        self.explicitMaps = explicitMaps
        self.automap = automap
    }

    /// Parses `OLD=NEW`; the last `=` splits, so OLD may contain `=` but NEW may not.
    public static func parseMap(_ text: String) throws -> (String, String) {
        guard let equals = text.lastIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
            throw TransferError(.usage, "--map takes OLD=NEW with both names, got \"\(text)\"")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    public func map(_ folder: FolderInfo, to destination: Destination) -> Mapping {
        if folder.isInbox {
            return Mapping(source: folder.name, destination: "INBOX", reason: "inbox", notes: [])
        }
        if let mapped = explicitTarget(for: folder) {
            return Mapping(source: folder.name, destination: mapped, reason: "map", notes: [])
        }
        if automap, let role = folder.specialUse ?? SpecialUseNames.role(ofName: folder.name, separator: folder.separator),
           let target = destinationFolder(for: role, in: destination) {
            return Mapping(source: folder.name, destination: target, reason: "special-use \(role)", notes: [])
        }
        var notes: [String] = []
        let components = folder.components.map { component -> String in
            guard let separator = destination.separator, component.contains(separator) else { return component }
            let fixed = component.replacingOccurrences(of: String(separator), with: "_")
            notes.append("\"\(component)\" contains the destination's separator \"\(separator)\"; renamed \"\(fixed)\"")
            return fixed
        }
        var name: String
        if let separator = destination.separator {
            name = components.joined(separator: String(separator))
        } else {
            name = components.joined(separator: "_")
            if components.count > 1 { notes.append("the destination has no hierarchy; joined with \"_\"") }
        }
        if !destination.prefix.isEmpty && !name.hasPrefix(destination.prefix) {
            name = destination.prefix + name
        }
        return Mapping(source: folder.name, destination: name, reason: "name", notes: notes)
    }

    /// `--map OLD=NEW`, applied to OLD itself and to everything below it.
    private func explicitTarget(for folder: FolderInfo) -> String? {
        for (old, new) in explicitMaps {
            if folder.name == old { return new }
            if let separator = folder.separator, folder.name.hasPrefix(old + String(separator)) {
                return new + String(separator) + folder.name.dropFirst(old.count + 1)
            }
        }
        return nil
    }

    /// The destination's folder for a special use: by attribute, else by a known name.
    private func destinationFolder(for role: String, in destination: Destination) -> String? {
        if let byAttribute = destination.folders.first(where: { $0.specialUse?.lowercased() == role.lowercased() }) {
            return byAttribute.name
        }
        guard !destination.folders.contains(where: { $0.specialUse != nil }) else { return nil }
        return destination.folders.first { SpecialUseNames.role(ofName: $0.name, separator: $0.separator) == role }?.name
    }
}
