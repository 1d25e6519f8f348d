#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// When to compress the connection with COMPRESS=DEFLATE (RFC 4978).
///
/// ```
/// C: C3 COMPRESS DEFLATE
/// S: C3 OK DEFLATE active
/// ```
public enum CompressionPolicy: String, Hashable, Sendable, CaseIterable {
    /// Compress when the server offers it and the host is not a loopback address: on
    /// loopback the link is never the bottleneck and compressing only costs CPU.
    case auto
    /// Compress whenever the server offers it.
    case on
    /// Never compress.
    case off

    /// True when a connection to `host` whose server advertises COMPRESS=DEFLATE should use it.
    public func wantsCompression(host: String, serverOffers: Bool) -> Bool {
        guard serverOffers else { return false }
        switch self {
        case .off: return false
        case .on: return true
        case .auto: return !Self.isLoopback(host: host)
        }
    }

    /// True for `localhost` (and `*.localhost`, RFC 6761 §6.3), 127.0.0.0/8, `::1` and
    /// IPv4-mapped loopback (`::ffff:127.0.0.1`). Other names are not resolved: a name that
    /// happens to point at loopback is treated as remote.
    public static func isLoopback(host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name.hasSuffix(".localhost") { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return firstOctet(of: v4) == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
            return mapped && bytes[12] == 127
        }
        return false
    }

    private static func firstOctet(of address: in_addr) -> UInt8 {
        withUnsafeBytes(of: address) { $0[0] }
    }
}
