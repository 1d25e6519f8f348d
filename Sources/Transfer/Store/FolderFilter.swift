import Foundation

/// `--folder GLOB` / `--exclude GLOB` selection on UTF-8 folder names (shell globs: `*`
/// matches across the hierarchy separator too, `?` one character, `[...]` a set).
public struct FolderFilter: Sendable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// True when the folder is wanted: it matches an include glob (or there are none) and no
    /// exclude glob.
    public func accepts(_ name: String) -> Bool {
        let included = include.isEmpty || include.contains { Self.matches($0, name) }
        return included && !exclude.contains { Self.matches($0, name) }
    }

    /// Keeps the accepted folders plus the parents they need so the tree stays whole;
    /// parents kept only for structure hold no messages in the result (`selectable` false).
    public func apply(to folders: [FolderInfo]) -> [FolderInfo] {
        let accepted = folders.filter { accepts($0.name) }
        var neededParents: Set<[String]> = []
        for folder in accepted where folder.components.count > 1 {
            for depth in 1..<folder.components.count { neededParents.insert(Array(folder.components.prefix(depth))) }
        }
        let acceptedNames = Set(accepted.map(\.name))
        return folders.compactMap { folder in
            if acceptedNames.contains(folder.name) { return folder }
            guard neededParents.contains(folder.components) else { return nil }
            var parent = folder
            parent.selectable = false
            return parent
        }
    }

    static func matches(_ pattern: String, _ name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
