import NIOConcurrencyHelpers
import NIOSSL

/// One `NIOSSLContext` per distinct TLS setting, shared by every connection of the process.
///
/// Building a context loads and parses the system's trusted roots (about 1 MB of certificates
/// and a few milliseconds); a job with eight connections that reconnects now and then would
/// otherwise do it for each. Contexts are thread-safe and meant to be shared.
enum TLSContextCache {
    private struct Key: Hashable {
        var caFilePath: String?
        var insecureSkipVerify: Bool
    }

    private static let contexts = NIOLockedValueBox<[Key: NIOSSLContext]>([:])

    /// The shared context for `options`, built by `make` the first time.
    static func context(
        for options: ConnectionConfiguration.TLSOptions, make: () throws -> NIOSSLContext
    ) throws -> NIOSSLContext {
        let key = Key(caFilePath: options.caFilePath, insecureSkipVerify: options.insecureSkipVerify)
        return try contexts.withLockedValue { contexts in
            if let existing = contexts[key] { return existing }
            let made = try make()
            contexts[key] = made
            return made
        }
    }
}
