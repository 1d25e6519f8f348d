#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Free TCP ports on 127.0.0.1, found by binding port 0, reading the port the kernel chose and
/// closing the socket.
///
/// Another process may take the port before the caller binds it; callers that can (Dovecot)
/// retry with fresh ports when the bind fails.
public enum LoopbackPort {
    /// A port on 127.0.0.1 that nothing listens on (chosen by the kernel, then released): a
    /// connection to it is refused.
    public static func closed() throws -> Int {
        try free(count: 1)[0]
    }

    /// Returns `count` distinct free ports (all sockets stay open until all are chosen).
    static func free(count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let (fd, port) = try bindEphemeral()
            sockets.append(fd)
            ports.append(port)
        }
        return ports
    }

    private static func bindEphemeral() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TestSupportError(.fileSystem, "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else {
            let code = errno
            close(fd)
            throw TestSupportError(.fileSystem, "cannot bind a loopback port: errno \(code)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
