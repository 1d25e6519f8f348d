import Foundation

extension DovecotServer {
    /// Makes a throwaway CA and a server certificate for `localhost` and 127.0.0.1 with the
    /// `openssl` CLI (P-256 keys, valid 30 days), all kept in the instance's tls directory.
    static func makeCertificates(in layout: DovecotLayout) async throws {
        guard let openssl = ExecutableLookup.find("openssl") else {
            throw TestSupportError(.commandFailed, "openssl not found: TLS tests need the openssl CLI (apt-get install openssl)")
        }
        let directory = layout.tlsDirectory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await ChildProcess.check(openssl, ["req", "-x509"] + ecKey + [
            "-keyout", layout.caKeyPath, "-out", layout.caCertificatePath, "-days", "30",
            "-subj", "/CN=imapcrate test CA \(UUID().uuidString.prefix(8))",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], scratchDirectory: directory)
        let requestPath = "\(directory)/server.csr"
        try await ChildProcess.check(openssl, ["req", "-new"] + ecKey + [
            "-keyout", layout.serverKeyPath, "-out", requestPath, "-subj", "/CN=localhost",
        ], scratchDirectory: directory)
        let extensionsPath = "\(directory)/server.ext"
        let extensions = """
            subjectAltName = DNS:localhost, IP:127.0.0.1
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """
        try Data(extensions.utf8).write(to: URL(fileURLWithPath: extensionsPath))
        let serial = "0x" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
        try await ChildProcess.check(openssl, [
            "x509", "-req", "-in", requestPath, "-CA", layout.caCertificatePath,
            "-CAkey", layout.caKeyPath, "-set_serial", String(serial), "-days", "30",
            "-extfile", extensionsPath, "-out", layout.serverCertificatePath,
        ], scratchDirectory: directory)
        // Readable CA for clients; keys stay private to the master (it reads them as root).
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: layout.caCertificatePath)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory)
    }
}
