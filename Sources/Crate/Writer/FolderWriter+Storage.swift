import Foundation

/// How a folder writer stores the open message: gzip (or raw) through one reusable output
/// buffer into a Maildir `tmp/` file or onto the end of the mbox file, then filing it.
extension FolderWriter {
    // MARK: Storage (called by the open sink)

    /// Compresses (or not) and buffers bytes into the open file.
    func store(_ bytes: UnsafeRawBufferPointer) throws {
        if let gzip {
            try gzip.write(bytes) { try output.write($0) }
        } else {
            try output.write(bytes)
        }
    }

    /// Ends the stored form (gzip member) and returns its stored length.
    func endStorage() throws -> Int {
        if let gzip {
            try gzip.finish { try output.write($0) }
        }
        try output.flush()
        return output.bytesAccepted
    }

    func beginStorage(_ file: CrateFile) throws {
        if compression.kind == .gzip && gzip == nil {
            gzip = try GzipWriter(level: compression.level)
        }
        output.attach(file)
    }

    func resetStorage() {
        gzip?.reset()
        output.detach()
    }

    func beginMaildirFile(_ context: MessageSink.Context) throws -> MessageSink.Target {
        let base = MaildirFileName.baseName(
            unixSeconds: context.internalDateUnix, uid: context.uid, uidValidity: context.uidValidity,
            host: CrateFileSystem.maildirHostName)
        let temporary = dataPath + "/tmp/" + base
        let file: CrateFile
        do {
            file = try CrateFile.createNew(temporary)
        } catch let error as CrateError where error.errno == EEXIST {
            try CrateFileSystem.removeFile(temporary)
            file = try CrateFile.createNew(temporary)
        }
        try beginStorage(file)
        return .maildir(file: file, temporaryPath: temporary, baseName: base)
    }

    func beginMboxMember(_ context: MessageSink.Context) throws -> MessageSink.Target {
        let file: CrateFile
        if let mboxFile {
            file = mboxFile
        } else {
            file = try CrateFile.openForAppending(dataPath)
            try file.truncate(to: ledger.mboxEnd)
            mboxFile = file
        }
        try beginStorage(file)
        let start = ledger.mboxEnd
        do {
            try MboxFromLine.line(unixSeconds: context.internalDateUnix).withUnsafeBytes { try store($0) }
        } catch {
            resetStorage()
            try? file.truncate(to: start)
            throw error
        }
        return .mbox(start: start)
    }

    // MARK: Completion (called by the sink)

    /// Files a finished message: names it (Maildir) or records its member (mbox), or shares an
    /// identical copy stored under an older UIDVALIDITY, and queues its index line.
    func complete(
        _ context: MessageSink.Context, target: MessageSink.Target, hash: MessageHash, size: Int,
        virtualSize: Int, messageID: String?
    ) throws -> MessageRecord {
        try lock.withLock {
            defer { openSinkUID = nil }
            let storedLength = try endStorage()
            output.detach()
            let reusable = ledger.reusableCopy(of: hash, size: size, uidValidity: context.uidValidity)
            let location: MessageLocation
            var durableFile: String?
            switch target {
            case .maildir(let file, let temporary, let base):
                try file.setTimes(unixSeconds: context.internalDateUnix)
                try file.close()
                if let reusable {
                    try CrateFileSystem.removeFile(temporary)
                    location = reusable.location
                } else {
                    let final = MaildirFileName.finalName(
                        base: base, size: size, virtualSize: virtualSize, flags: context.flags,
                        keywordLetters: keywords?.letters(for: context.flags) ?? "")
                    try CrateFileSystem.rename(temporary, to: dataPath + "/cur/" + final)
                    location = .file("cur/" + final)
                    durableFile = dataPath + "/cur/" + final
                }
            case .mbox(let start):
                if let reusable {
                    try mboxFile?.truncate(to: start)
                    location = reusable.location
                } else {
                    location = .mbox(offset: start, length: storedLength)
                    ledger.mboxEnd = start + storedLength
                }
            }
            let record = MessageRecord(
                uid: context.uid, uidValidity: context.uidValidity, size: size, sha256: hash.hex,
                internalDate: context.internalDate, internalDateUnix: context.internalDateUnix,
                flags: context.flags, messageID: messageID, location: location)
            index.append(record)
            ledger.note(record, hash: hash)
            pendingBytes += size
            if let durableFile { pendingFiles.append(durableFile) }
            return record
        }
    }

    /// Throws away the open message's stored bytes.
    func discard(_ target: MessageSink.Target) {
        lock.withLock {
            resetStorage()
            switch target {
            case .maildir(let file, let temporary, _):
                try? file.close()
                try? CrateFileSystem.removeFile(temporary)
            case .mbox(let start):
                try? mboxFile?.truncate(to: start)
            }
            openSinkUID = nil
        }
    }
}
