import Foundation
import Testing
@testable import Crate

@Suite("GzipWriter and GzipReader")
struct GzipTests {
    static let text: [UInt8] = Array(String(repeating: "The quick brown fox jumps over the lazy dog.\n", count: 2_000).utf8)

    @Test("compress then decompress gives the input back at every level", arguments: [0, 1, 6, 9])
    func roundTrip(level: Int) throws {
        let compressed = try GzipWriter.compress(Self.text, level: level)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipReader.decompress(compressed) == Self.text)
        if level > 0 { #expect(compressed.count < Self.text.count / 10) }
    }

    @Test("an empty input makes a valid empty member")
    func emptyMember() throws {
        let compressed = try GzipWriter.compress([])
        #expect(try GzipReader.decompress(compressed) == [])
    }

    @Test("the writer reuses its stream: each finish is one member with its own size")
    func membersPerFinish() throws {
        let writer = try GzipWriter(level: 6)
        var file: [UInt8] = []
        var sizes: [Int] = []
        for part in [Array("first\n".utf8), Array("second\n".utf8), Self.text] {
            try writer.write(part) { file.append(contentsOf: $0) }
            sizes.append(try writer.finish { file.append(contentsOf: $0) })
        }
        #expect(sizes.reduce(0, +) == file.count)
        // Each member decodes on its own, and the concatenation decodes as the whole.
        var offset = 0
        let parts = [Array("first\n".utf8), Array("second\n".utf8), Self.text]
        for (size, part) in zip(sizes, parts) {
            #expect(try GzipReader.decompress(Array(file[offset..<(offset + size)])) == part)
            offset += size
        }
        let reader = try GzipReader()
        var whole: [UInt8] = []
        try reader.feed(file) { whole.append(contentsOf: $0) }
        try reader.finish()
        #expect(reader.membersCompleted == 3)
        #expect(whole == parts.flatMap { $0 })
    }

    @Test("input fed in every chunk size decodes the same")
    func chunkedInput() throws {
        let compressed = try GzipWriter.compress(Self.text) + GzipWriter.compress(Array("tail".utf8))
        for chunk in [1, 2, 3, 17, 1000, compressed.count] {
            let reader = try GzipReader()
            var output: [UInt8] = []
            var offset = 0
            while offset < compressed.count {
                let end = min(offset + chunk, compressed.count)
                try reader.feed(Array(compressed[offset..<end])) { output.append(contentsOf: $0) }
                offset = end
            }
            try reader.finish()
            #expect(output == Self.text + Array("tail".utf8), "chunk \(chunk)")
        }
    }

    @Test("a member cut short is reported as truncated")
    func truncated() throws {
        let compressed = try GzipWriter.compress(Self.text)
        for cut in [1, 10, compressed.count / 2, compressed.count - 1] {
            let error = #expect(throws: CrateError.self) {
                try GzipReader.decompress(Array(compressed.prefix(cut)))
            }
            #expect(error?.code == .corrupt)
        }
    }

    @Test("a flipped byte is detected (deflate data or CRC)")
    func flippedByte() throws {
        let compressed = try GzipWriter.compress(Self.text)
        for position in [12, compressed.count / 2, compressed.count - 6] {
            var damaged = compressed
            damaged[position] ^= 0x55
            #expect(throws: CrateError.self) { try GzipReader.decompress(damaged) }
        }
    }

    @Test("trailing garbage after a member is corrupt, not ignored")
    func trailingGarbage() throws {
        let compressed = try GzipWriter.compress(Self.text) + Array("garbage".utf8)
        let error = #expect(throws: CrateError.self) { try GzipReader.decompress(compressed) }
        #expect(error?.code == .corrupt)
    }

    @Test("no data at all is corrupt")
    func emptyInput() throws {
        #expect(throws: CrateError.self) { try GzipReader.decompress([]) }
    }

    @Test("inflating past the output limit is refused (gzip bomb)")
    func outputLimit() throws {
        let bomb = try GzipWriter.compress([UInt8](repeating: 0, count: 10_000_000), level: 9)
        #expect(bomb.count < 20_000)
        let error = #expect(throws: CrateError.self) { try GzipReader.decompress(bomb, outputLimit: 1_000_000) }
        #expect(error?.code == .limitExceeded)
    }

    @Test("system gzip reads our members and we read system gzip's output")
    func systemGzipInterop() throws {
        let ours = try GzipWriter.compress(Self.text) + GzipWriter.compress(Array("second member\n".utf8))
        let decoded = try ExternalTool.run(["gzip", "-dc"], stdin: Data(ours))
        #expect(decoded.status == 0)
        #expect([UInt8](decoded.stdout) == Self.text + Array("second member\n".utf8))
        let theirs = try ExternalTool.run(["gzip", "-c", "-9"], stdin: Data(Self.text))
        #expect(try GzipReader.decompress([UInt8](theirs.stdout)) == Self.text)
    }
}
