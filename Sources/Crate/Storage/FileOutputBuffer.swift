/// Coalesces small writes into one buffer before they reach a file (few, large `write(2)` calls).
///
/// Writes at least as large as the buffer go straight to the file without a copy. The buffer is
/// allocated at the first write, reused for every file it is pointed at, and given back by
/// `release()` when the writer goes idle.
final class FileOutputBuffer {
    private let capacity: Int
    private var allocated: UnsafeMutableRawBufferPointer?
    private var used = 0
    private(set) var file: CrateFile?
    /// Bytes accepted since `attach` (buffered or written).
    private(set) var bytesAccepted = 0

    init(capacity: Int = 128 * 1024) {
        self.capacity = capacity
    }

    deinit { allocated?.deallocate() }

    private var storage: UnsafeMutableRawBufferPointer {
        if let allocated { return allocated }
        let fresh = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        allocated = fresh
        return fresh
    }

    /// Frees the buffer; the next write allocates it again. Pending bytes must have been flushed.
    func release() {
        precondition(used == 0, "FileOutputBuffer released with unflushed bytes")
        allocated?.deallocate()
        allocated = nil
    }

    /// Points the buffer at `file`; pending bytes of the previous file must have been flushed.
    func attach(_ file: CrateFile) {
        precondition(used == 0, "FileOutputBuffer attached with unflushed bytes")
        self.file = file
        bytesAccepted = 0
    }

    /// Forgets the current file and any unflushed bytes (after an abort).
    func detach() {
        used = 0
        file = nil
        bytesAccepted = 0
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let file, bytes.count > 0 else { return }
        bytesAccepted += bytes.count
        if used + bytes.count <= capacity {
            UnsafeMutableRawBufferPointer(rebasing: storage[used..<(used + bytes.count)]).copyMemory(from: bytes)
            used += bytes.count
            return
        }
        try flush()
        if bytes.count >= capacity {
            try file.write(bytes)
        } else {
            UnsafeMutableRawBufferPointer(rebasing: storage[0..<bytes.count]).copyMemory(from: bytes)
            used = bytes.count
        }
    }

    /// Writes the buffered bytes to the file.
    func flush() throws {
        guard used > 0, let file else { return }
        let pending = UnsafeRawBufferPointer(rebasing: storage[0..<used])
        used = 0
        try file.write(pending)
    }
}
