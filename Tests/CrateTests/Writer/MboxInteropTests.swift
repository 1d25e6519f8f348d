import Foundation
import Testing
@testable import Crate

@Suite("mbox files read by standard tools")
struct MboxInteropTests {
    /// Reads an mbox with Python's `mailbox.mbox`, undoes mboxrd quoting (Python's reader does
    /// not), and prints each message as hex on its own line.
    static let script = """
    import mailbox, re, sys
    box = mailbox.mbox(sys.argv[1], create=False)
    for key in box.keys():
        data = box.get_bytes(key)
        data = re.sub(rb'(?m)^>(>*From )', rb'\\1', data)
        print(data.hex())
    """

    @Test("gzip -dc of an mbox folder file, parsed by python3's mailbox.mbox, gives the same messages")
    func pythonReadsOurMbox() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: .mbox)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        for (index, sample) in SampleMessages.all.enumerated() {
            try CrateFixture.store(sample.bytes, uid: UInt32(index + 1), in: inbox)
        }
        try writer.finish(state: .complete)

        let unzipped = try ExternalTool.run(["gzip", "-dc", fixture.path + "/mbox/INBOX.mbox.gz"])
        #expect(unzipped.status == 0)
        let mboxPath = fixture.directory.path + "/plain.mbox"
        try unzipped.stdout.write(to: URL(fileURLWithPath: mboxPath))
        let scriptPath = fixture.directory.path + "/read.py"
        try Self.script.write(toFile: scriptPath, atomically: false, encoding: .utf8)
        let result = try ExternalTool.run(["python3", scriptPath, mboxPath])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast()
        let parsed = lines.map { Self.bytes(fromHex: String($0)) }
        #expect(parsed.count == SampleMessages.all.count)
        for (sample, message) in zip(SampleMessages.all, parsed) {
            // mbox cannot tell a missing final newline: Python sees one added, nothing else changes.
            let endsInNewline = sample.bytes.isEmpty || sample.bytes.last == 0x0A
            let expected = endsInNewline ? sample.bytes : sample.bytes + [0x0A]
            #expect(message == expected, "\(sample.name)")
        }
    }

    static func bytes(fromHex hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            result.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        return result
    }
}
