/// Checks that a path read from a manifest or index stays inside the crate.
///
/// Accepted: relative, `/`-separated, no empty, `.` or `..` component, no NUL or backslash,
/// and (checked on disk) no component that is a symbolic link.
enum RelativePath {
    /// The components of `path`, or `.unsafePath` naming `file` (the manifest or index) and `what`.
    static func validate(_ path: String, in file: String, what: String) throws -> [String] {
        func refuse(_ reason: String) -> CrateError {
            CrateError(
                .unsafePath,
                "\(what) \"\(path)\" in \(file) \(reason); the crate may have been tampered with. "
                    + "Restore the file from a backup or export again",
                path: file)
        }
        guard !path.isEmpty else { throw refuse("is empty") }
        guard !path.hasPrefix("/") else { throw refuse("is an absolute path") }
        guard !path.utf8.contains(0), !path.contains("\\") else { throw refuse("contains NUL or a backslash") }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for component in components {
            if component.isEmpty { throw refuse("has an empty component") }
            if component == "." || component == ".." { throw refuse("contains \"\(component)\"") }
        }
        return components
    }

    /// Throws `.unsafePath` when any existing prefix of `components` under `root` is a symlink.
    static func checkNoSymlinks(_ components: [String], root: String, in file: String) throws {
        var path = root
        for component in components {
            path += "/" + component
            switch try CrateFileSystem.entryType(path) {
            case .symlink:
                throw CrateError(
                    .unsafePath,
                    "\(path) (listed in \(file)) is a symbolic link; a crate never contains links. "
                        + "Remove the link or restore the crate from a backup",
                    path: path)
            case nil:
                return
            default:
                continue
            }
        }
    }
}
