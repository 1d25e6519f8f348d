import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The processes of one process group: a child the harness started and everything it forked.
struct ProcessGroup: Sendable {
    let id: Int32

    /// The group's living (not zombie) members, from /proc.
    func livingMembers() -> [Int32] {
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state ppid pgrp …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", fields[0] != "X", Int32(fields[2]) == id else { return nil }
            return pid
        }
        #else
        return kill(-id, 0) == 0 ? [id] : []
        #endif
    }

    /// Waits until no member lives, at most `timeout`; true when the group is gone.
    func waitUntilGone(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !livingMembers().isEmpty {
            if ContinuousClock.now >= deadline { return false }
            await ChildProcess.pause()
        }
        return true
    }

    /// Sends `signal` to every member (the group id is our child's pid, so every member is ours).
    func send(_ signal: Int32) {
        _ = kill(-id, signal)
    }
}
