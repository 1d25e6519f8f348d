import IMAPProtocol

/// FETCH responses of one or more pipelined `UID FETCH` commands, as an async sequence of
/// `FetchEvent`s with backpressure: nothing more is read from the socket until the consumer
/// asks for the next event. Bodies arrive as `.streamingBytes` chunks.
///
/// ```
/// C: C7 UID FETCH 1:500 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])
/// C: C8 UID FETCH 501:1000 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])
/// S: * 1 FETCH (UID 1 FLAGS (\Seen) ... BODY[] {2301}
/// ```
/// Use from the session's task only; after an error the session must be discarded.
public struct FetchStream: AsyncSequence {
    public typealias Element = FetchEvent

    let session: IMAPSession
    let sets: [String]
    let items: [FetchItem]
    let pipelineDepth: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(session: session, pending: sets[...], items: items, pipelineDepth: pipelineDepth)
    }

    /// Sends the next commands as earlier ones complete, keeping `pipelineDepth` in flight.
    public struct Iterator: AsyncIteratorProtocol {
        let session: IMAPSession
        var pending: ArraySlice<String>
        let items: [FetchItem]
        let pipelineDepth: Int
        var inFlight: [String] = []

        init(session: IMAPSession, pending: ArraySlice<String>, items: [FetchItem], pipelineDepth: Int) {
            self.session = session
            self.pending = pending
            self.items = items
            self.pipelineDepth = Swift.max(1, pipelineDepth)
        }

        public mutating func next() async throws -> FetchEvent? {
            while true {
                while inFlight.count < pipelineDepth, let set = pending.popFirst() {
                    inFlight.append(try await session.send(.uidFetch(set: set, items: items, changedSince: nil)))
                }
                guard let current = inFlight.first else { return nil }
                if session.finished[current] != nil {
                    inFlight.removeFirst()
                    _ = try await session.complete(current)
                    continue
                }
                let event = try await session.nextEvent()
                switch event {
                case .fetch(let fetch):
                    return fetch
                case .tagged(let tagged):
                    session.store(tagged)
                case .untagged(let untagged):
                    try session.record(untagged)
                case .continuation:
                    continue
                }
            }
        }
    }
}

extension IMAPSession {
    /// Streams `UID FETCH` for each sequence-set in `sets` (e.g. `["1:500", "501:1000"]`),
    /// pipelining up to `pipelineDepth` commands so the server never waits for a round trip.
    public func uidFetch(_ sets: [String], items: [FetchItem], pipelineDepth: Int = 2) -> FetchStream {
        FetchStream(session: self, sets: sets, items: items, pipelineDepth: pipelineDepth)
    }
}
