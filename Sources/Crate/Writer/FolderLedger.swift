/// What a folder already holds, as far as incremental export needs to know: UIDs per
/// UIDVALIDITY, hashes of stored messages (to re-match after a UIDVALIDITY change), counts and,
/// for mbox, where the next member goes.
struct FolderLedger {
    /// Where an already stored copy of some content is.
    struct StoredCopy {
        var uidValidity: UInt32
        var size: Int
        var location: MessageLocation
    }

    private(set) var uids: [UInt32: Set<UInt32>] = [:]
    private(set) var hashes: [MessageHash: StoredCopy] = [:]
    /// Index records (committed ones, for counts written to the manifest).
    var messageCount = 0
    var bytes = 0
    /// End of the last mbox member (the mbox file's committed length).
    var mboxEnd = 0

    func knownUIDs(uidValidity: UInt32?) -> Set<UInt32> {
        guard let uidValidity else { return [] }
        return uids[uidValidity] ?? []
    }

    func contains(uid: UInt32, uidValidity: UInt32) -> Bool {
        uids[uidValidity]?.contains(uid) ?? false
    }

    /// A stored copy of the same content written under another UIDVALIDITY, to share instead of
    /// storing the bytes twice.
    func reusableCopy(of hash: MessageHash, size: Int, uidValidity: UInt32) -> StoredCopy? {
        guard let copy = hashes[hash], copy.size == size, copy.uidValidity != uidValidity else { return nil }
        return copy
    }

    /// Notes a record (read from the index or just written); counts are updated by the caller.
    mutating func note(_ record: MessageRecord, hash: MessageHash) {
        uids[record.uidValidity, default: []].insert(record.uid)
        if hashes[hash] == nil {
            hashes[hash] = StoredCopy(uidValidity: record.uidValidity, size: record.size, location: record.location)
        }
        if case .mbox(let offset, let length) = record.location {
            mboxEnd = max(mboxEnd, offset + length)
        }
    }

    var allHashes: Set<String> { Set(hashes.keys.map(\.hex)) }

    /// Drops the stored copies written under `uidValidity`: they can only be shared with a
    /// message of another UIDVALIDITY, which the rest of this run will not bring (a later
    /// run rebuilds the ledger from the index). Keeps memory flat over a long export.
    mutating func forgetCopies(under uidValidity: UInt32) {
        hashes = hashes.filter { $0.value.uidValidity != uidValidity }
    }
}
