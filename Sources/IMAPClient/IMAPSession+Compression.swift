import IMAPProtocol
import NIOCore

extension IMAPSession {
    /// Applies `configuration.compression`: starts COMPRESS=DEFLATE when the policy allows
    /// it and the server advertises it. Call after login, when capabilities are final.
    /// Returns whether the connection is compressed afterwards.
    @discardableResult
    public func applyCompressionPolicy() async throws -> Bool {
        guard !isCompressed else { return true }
        let offered = supports(.compressDeflate)
        guard configuration.compression.wantsCompression(host: configuration.host, serverOffers: offered) else {
            if offered {
                logger.debug("not compressing the connection to \(configuration.host) (policy \(configuration.compression.rawValue))")
            }
            return false
        }
        return try await startCompression()
    }

    /// COMPRESS DEFLATE (RFC 4978 §3): from the tagged OK on, both directions are raw DEFLATE.
    ///
    /// ```
    /// C: C4 COMPRESS DEFLATE
    /// S: C4 OK DEFLATE active
    /// ```
    /// Returns true when compression is active (also when it already was: a second COMPRESS
    /// would only earn `NO [COMPRESSIONACTIVE]`). A server that does not advertise
    /// COMPRESS=DEFLATE is not asked; a NO or BAD is logged and the session goes on
    /// uncompressed. Needs no command in flight: the switch happens between two commands.
    @discardableResult
    public func startCompression() async throws -> Bool {
        guard !isCompressed else { return true }
        guard supports(.compressDeflate) else {
            logger.info("\(configuration.host) does not offer COMPRESS=DEFLATE; continuing uncompressed")
            return false
        }
        guard issuedTags.isEmpty else {
            throw IMAPClientError(.invalidConfiguration, "COMPRESS cannot start while \(issuedTags.count) commands are in flight")
        }
        // Bytes after the tagged OK are compressed: none may reach the decoder before the
        // inflater is in place (the same guard as for STARTTLS, see `PlaintextBoundary`).
        boundary.endAfterResponse(to: upcomingTag, switchingTo: .compression)
        do {
            try await execute(.compressDeflate)
        } catch let error as IMAPClientError where error.code == .commandFailed || error.code == .commandRejected {
            boundary.reopen()
            logger.info("\(configuration.host) refused COMPRESS DEFLATE (\(error.response?.text ?? error.message)); continuing uncompressed")
            return false
        } catch {
            boundary.reopen()
            throw error
        }
        let channel = self.channel
        let boundary = self.boundary
        do {
            try await channel.eventLoop.submit {
                let sync = channel.pipeline.syncOperations
                let decoder = try sync.handler(type: ByteToMessageHandler<ResponseDecoder>.self)
                try sync.addHandler(DeflateCompressionHandler(), position: .before(decoder))
                boundary.reopen()
            }.get()
        } catch let error as IMAPClientError {
            throw error
        } catch {
            throw disconnectionError(cause: error)
        }
        isCompressed = true
        logger.debug("COMPRESS=DEFLATE active with \(configuration.host)")
        return true
    }
}
