import IMAPClient
import IMAPProtocol

/// Lists every UID of the selected folder without huge response lines: one
/// `UID SEARCH RETURN (ALL) ALL` (RFC 4731 ESEARCH, answered as a compact sequence-set) when
/// the server has ESEARCH, else `UID SEARCH UID a:b` over windows of the UID space.
enum IMAPUIDSearch {
    static let window: UInt32 = 50_000

    static func allUIDs(session: IMAPSession, uidNext: UInt32?) async throws -> [UInt32] {
        if session.supports(Capability("ESEARCH")) {
            let response = try await session.execute(.uidSearch(criteria: "RETURN (ALL) ALL"))
            for case .other(let keyword, let text) in response.untagged where keyword.uppercased() == "ESEARCH" {
                return try parseESearchAll(text)
            }
            return []
        }
        guard let uidNext, uidNext > window else {
            return try await session.uidSearch("ALL").sorted()
        }
        var uids: [UInt32] = []
        var low: UInt32 = 1
        while low < uidNext {
            let high = low &+ window &- 1
            uids += try await session.uidSearch("UID \(low):\(high)").filter { $0 >= low && $0 <= high }
            low = high &+ 1
        }
        // Anything at or above UIDNEXT that arrived since SELECT.
        uids += try await session.uidSearch("UID \(uidNext):*").filter { $0 >= uidNext }
        return Array(Set(uids)).sorted()
    }

    /// `(TAG "C5") UID ALL 1:3,7` → [1, 2, 3, 7]. No ALL item means no messages.
    static func parseESearchAll(_ text: String) throws -> [UInt32] {
        let words = text.split(separator: " ")
        guard let position = words.firstIndex(where: { $0.uppercased() == "ALL" }), position + 1 < words.count else { return [] }
        var uids: [UInt32] = []
        for part in words[position + 1].split(separator: ",") {
            let bounds = part.split(separator: ":")
            guard let first = bounds.first.flatMap({ UInt32($0) }) else {
                throw TransferError(.failed, "the server's ESEARCH answer is not a UID set: \(text)")
            }
            let last = bounds.count > 1 ? (UInt32(bounds[1]) ?? first) : first
            uids += Array(min(first, last)...max(first, last))
        }
        return uids.sorted()
    }
}
