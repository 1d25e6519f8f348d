/// Looks for what no manifest folder accounts for: stray index files, Maildir folders and mbox
/// files of unknown folders, unexpected entries at the crate root, and symlinks.
struct LayoutChecker {
    let root: String
    let manifest: Manifest

    func check(into report: inout VerificationReport) throws {
        let dataDirectory = CrateLayout.dataDirectory(manifest.mailFormat)
        for name in try CrateFileSystem.listDirectory(root) {
            switch name {
            case Manifest.fileName, CrateLock.fileName, CrateLayout.indexDirectory, dataDirectory:
                continue
            case Manifest.fileName + ".tmp":
                report.add(VerificationProblem(
                    .leftoverTemporaryFile, .warning, path: name,
                    message: "\(name) is left over from an interrupted manifest write; the next export replaces it"))
            default:
                report.add(VerificationProblem(
                    .extraFile, .warning, path: name, message: "\(name) at the crate root is not part of the crate format"))
            }
        }
        let indexFiles = Set(manifest.folders.map(\.indexFile))
        try checkDirectory(CrateLayout.indexDirectory, known: indexFiles, into: &report)
        let locations = Set(manifest.folders.map(\.location))
        switch manifest.mailFormat {
        case .mbox:
            try checkDirectory(CrateLayout.mboxDirectory, known: locations, into: &report)
        case .maildir:
            try checkMaildirRoot(known: locations, into: &report)
        }
    }

    private func checkDirectory(_ directory: String, known: Set<String>, into report: inout VerificationReport) throws {
        let path = root + "/" + directory
        guard try CrateFileSystem.entryType(path) == .directory else {
            if !known.isEmpty {
                report.add(VerificationProblem(
                    .missingFolder, .error, path: directory, message: "the directory \(directory) is missing"))
            }
            return
        }
        for name in try CrateFileSystem.listDirectory(path) {
            let relative = directory + "/" + name
            if try CrateFileSystem.entryType(root + "/" + relative) == .symlink {
                report.add(VerificationProblem(
                    .unsafePath, .error, path: relative, message: "\(relative) is a symbolic link; a crate holds none"))
            } else if !known.contains(relative) {
                report.add(VerificationProblem(
                    .extraFolder, .error, path: relative,
                    message: "\(relative) belongs to no folder of the manifest"))
            }
        }
    }

    private func checkMaildirRoot(known: Set<String>, into report: inout VerificationReport) throws {
        let directory = CrateLayout.maildirDirectory
        let path = root + "/" + directory
        guard try CrateFileSystem.entryType(path) == .directory else {
            report.add(VerificationProblem(
                .missingFolder, .error, path: directory, message: "the directory \(directory) is missing"))
            return
        }
        for name in try CrateFileSystem.listDirectory(path) {
            let relative = directory + "/" + name
            if CrateLayout.maildirSubdirectories.contains(name) || Self.isServerFile(name) { continue }
            if try CrateFileSystem.entryType(root + "/" + relative) == .symlink {
                report.add(VerificationProblem(
                    .unsafePath, .error, path: relative, message: "\(relative) is a symbolic link; a crate holds none"))
            } else if name.hasPrefix(".") {
                if !known.contains(relative) {
                    report.add(VerificationProblem(
                        .extraFolder, .error, path: relative, message: "\(relative) belongs to no folder of the manifest"))
                }
            } else {
                report.add(VerificationProblem(
                    .extraFile, .warning, path: relative, message: "\(relative) is not part of the crate format"))
            }
        }
    }

    /// Files Dovecot adds when it serves the Maildir (its indexes, uidlist, subscriptions).
    static func isServerFile(_ name: String) -> Bool {
        name.hasPrefix("dovecot") || name == "subscriptions"
    }
}
