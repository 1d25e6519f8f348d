/// Packs sorted UIDs into IMAP sequence-sets of at most `batchSize` UIDs each, with runs
/// written as ranges: `[1,2,3,7,9,10]` → `["1:3,7,9:10"]` (RFC 3501 §9 `sequence-set`).
enum UIDSets {
    static func batches(_ uids: [UInt32], batchSize: Int) -> [String] {
        var result: [String] = []
        var start = 0
        while start < uids.count {
            let end = min(start + max(1, batchSize), uids.count)
            result.append(compress(uids[start..<end]))
            start = end
        }
        return result
    }

    static func compress(_ uids: ArraySlice<UInt32>) -> String {
        var parts: [String] = []
        var index = uids.startIndex
        while index < uids.endIndex {
            let first = uids[index]
            var last = first
            var next = uids.index(after: index)
            while next < uids.endIndex, uids[next] == last &+ 1 {
                last = uids[next]
                next = uids.index(after: next)
            }
            parts.append(first == last ? "\(first)" : "\(first):\(last)")
            index = next
        }
        return parts.joined(separator: ",")
    }
}
