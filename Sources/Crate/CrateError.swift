#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of the Crate module: what went wrong reading or writing a crate.
///
/// `message` is a sentence for a person: it names the file involved and, where there is one,
/// the fix. `code` is for programs (the CLI maps `.corrupt`, `.notACrate`, `.unsafePath` and
/// `.unsupportedVersion` to exit 20, `.locked` to exit 75).
public struct CrateError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case io, corrupt, unsupportedVersion, notACrate, unsafePath, locked
            case incompatible, limitExceeded, sizeMismatch, invalidArgument
        }
        fileprivate let value: Value

        /// A system call failed (disk full, permission denied, missing file...); see `errno`.
        public static let io = Code(value: .io)
        /// Data on disk does not match what the manifest or index says (hash, size, gzip, JSON).
        public static let corrupt = Code(value: .corrupt)
        /// The manifest was written by a newer format version than this tool reads.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// The directory holds no crate (no `manifest.json`, or one of another program).
        public static let notACrate = Code(value: .notACrate)
        /// A path in the manifest or index is absolute, contains `..` or goes through a symlink.
        public static let unsafePath = Code(value: .unsafePath)
        /// Another process is writing this crate.
        public static let locked = Code(value: .locked)
        /// The crate exists with another format or source account than the one requested.
        public static let incompatible = Code(value: .incompatible)
        /// Input exceeded an explicit limit (for example a gzip stream that inflates too far).
        public static let limitExceeded = Code(value: .limitExceeded)
        /// A message ended with a different byte count than announced.
        public static let sizeMismatch = Code(value: .sizeMismatch)
        /// The API was used in a way it does not allow (for example two open messages per folder).
        public static let invalidArgument = Code(value: .invalidArgument)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// A human sentence naming the file and, where there is one, the fix.
    public var message: String
    /// The file or directory involved, when there is one.
    public var path: String?
    /// The `errno` of the failed system call, for `.io` errors.
    public var errno: Int32?
    /// The underlying error, when another library reported it (for example JSON decoding).
    public var cause: (any Error & Sendable)?

    public init(
        _ code: Code, _ message: String, path: String? = nil, errno: Int32? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
        self.cause = cause
    }

    public var description: String {
        var text = "crate error (\(code)): \(message)"
        if let cause { text += " [cause: \(cause)]" }
        return text
    }
}

extension CrateError {
    /// An `.io` error for a failed system call, with the system's text for `errno`.
    static func io(_ operation: String, path: String, errno code: Int32, fix: String? = nil) -> CrateError {
        let reason = String(cString: strerror(code))
        var message = "cannot \(operation) \(path): \(reason) (errno \(code))"
        if let fix {
            message += ". \(fix)"
        } else if code == ENOSPC || code == EDQUOT {
            message += ". Free some disk space, then run the same command again: it resumes"
        } else if code == EACCES || code == EPERM {
            message += ". Check the permissions of the crate directory"
        }
        return CrateError(.io, message, path: path, errno: code)
    }

    /// A `.corrupt` error naming the file and suggesting `imapcrate verify`.
    static func corrupt(_ what: String, path: String, cause: (any Error & Sendable)? = nil) -> CrateError {
        CrateError(
            .corrupt, "\(what) in \(path); run `imapcrate verify` on the crate to list every problem",
            path: path, cause: cause)
    }
}
