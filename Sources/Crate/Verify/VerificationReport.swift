/// One thing `CrateVerifier` found wrong (or worth a warning) in a crate.
public struct VerificationProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; stable names for `--json` output.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Manifest counts or totals disagree with the indexes.
        case manifestMismatch
        /// A message's data file (or a folder's index or mbox file) is missing.
        case missingFile
        /// A file or directory inside the crate that no index or manifest entry accounts for.
        case extraFile
        /// A folder directory, index or mbox file that no manifest folder accounts for.
        case extraFolder
        /// A folder's directory is missing.
        case missingFolder
        /// A message's bytes do not match its record: changed byte, truncated or corrupt gzip.
        case corruptData
        /// A line in the middle of an index is not a valid record.
        case corruptIndex
        /// The last index line is torn (an interrupted append; harmless, cut on the next export).
        case tornIndex
        /// Two records with the same UIDVALIDITY and UID.
        case duplicateUID
        /// mbox members do not tile the file (gap, overlap, or bytes after the last member).
        case mboxLayout
        /// A location in an index that would leave the crate or is not where messages live.
        case unsafePath
        /// A leftover temporary file from an interrupted run (harmless).
        case leftoverTemporaryFile
        /// The export that wrote the crate did not finish.
        case partialCrate
    }

    /// Errors make a crate invalid (`imapcrate verify` exits 20); warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var kind: Kind
    public var severity: Severity
    public var folder: String?
    public var uid: UInt32?
    /// The file involved, relative to the crate.
    public var path: String?
    /// A sentence for a person.
    public var message: String

    public init(
        _ kind: Kind, _ severity: Severity, folder: String? = nil, uid: UInt32? = nil, path: String? = nil,
        message: String
    ) {
        self.kind = kind
        self.severity = severity
        self.folder = folder
        self.uid = uid
        self.path = path
        self.message = message
    }

    public var description: String {
        var text = "\(severity): \(kind.rawValue)"
        if let folder { text += " [\(folder)" + (uid.map { " UID \($0)" } ?? "") + "]" }
        return text + ": " + message
    }
}

/// The result of verifying a crate.
public struct VerificationReport: Sendable {
    public var problems: [VerificationProblem] = []
    public var foldersChecked = 0
    public var messagesChecked = 0
    /// Original bytes recomputed and hashed.
    public var bytesChecked = 0

    public init() {}

    public var errors: [VerificationProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [VerificationProblem] { problems.filter { $0.severity == .warning } }
    /// True when there is no error (warnings allowed).
    public var isValid: Bool { !problems.contains { $0.severity == .error } }

    mutating func add(_ problem: VerificationProblem) { problems.append(problem) }
}

/// Where verification is, for a progress display.
public struct VerificationProgress: Sendable {
    public var folder: String
    public var messagesChecked: Int
    public var bytesChecked: Int
    /// From the manifest totals.
    public var totalMessages: Int
    public var totalBytes: Int
}
