import Testing
@testable import Transfer

@Suite("Folder mapping")
struct FolderMapperTests {
    static func folder(_ name: String, separator: Character? = "/", specialUse: String? = nil) -> FolderInfo {
        FolderInfo(name: name, components: IMAPFolderListing.split(name, separator: separator), separator: separator, specialUse: specialUse)
    }

    static let slashServer = FolderMapper.Destination(separator: "/", prefix: "", folders: [
        folder("INBOX"), folder("Sent", specialUse: "\\Sent"), folder("Trash", specialUse: "\\Trash"),
    ])
    static let dotServerWithoutAttributes = FolderMapper.Destination(separator: ".", prefix: "INBOX.", folders: [
        folder("INBOX", separator: "."), folder("INBOX.Gesendet", separator: "."), folder("INBOX.Papierkorb", separator: "."),
    ])

    struct Row: Sendable, CustomTestStringConvertible {
        var source: FolderInfo
        var toDotServer: Bool
        var automap = true
        var maps: [(String, String)] = []
        var expected: String
        var notes = 0
        var testDescription: String { "\(source.name) → \(expected)" }
    }

    static let rows: [Row] = [
        Row(source: folder("inbox"), toDotServer: false, expected: "INBOX"),
        Row(source: folder("Archive/2024"), toDotServer: false, expected: "Archive/2024"),
        Row(source: folder("Sent Items"), toDotServer: false, expected: "Sent"),
        Row(source: folder("Gesendete Elemente"), toDotServer: false, expected: "Sent"),
        Row(source: folder("Corbeille", specialUse: "\\Trash"), toDotServer: false, expected: "Trash"),
        Row(source: folder("Sent Items"), toDotServer: false, automap: false, expected: "Sent Items"),
        Row(source: folder("Old/Sub"), toDotServer: false, maps: [("Old", "Archive/Old")], expected: "Archive/Old/Sub"),
        Row(source: folder("Archive/2024"), toDotServer: true, expected: "INBOX.Archive.2024"),
        Row(source: folder("Sent", specialUse: "\\Sent"), toDotServer: true, expected: "INBOX.Gesendet"),
        Row(source: folder("Deleted Items"), toDotServer: true, expected: "INBOX.Papierkorb"),
        Row(source: folder("v1.2/notes"), toDotServer: true, expected: "INBOX.v1_2.notes", notes: 1),
        Row(source: folder("a.b", separator: "."), toDotServer: false, expected: "a/b"),
        Row(source: folder("x/y", separator: "."), toDotServer: false, expected: "x_y", notes: 1),
    ]

    @Test("crate folders land where a user expects", arguments: rows)
    func maps(_ row: Row) {
        let mapper = FolderMapper(explicitMaps: row.maps, automap: row.automap)
        let mapping = mapper.map(row.source, to: row.toDotServer ? Self.dotServerWithoutAttributes : Self.slashServer)
        #expect(mapping.destination == row.expected)
        #expect(mapping.notes.count == row.notes)
    }

    @Test("--map OLD=NEW parsing", arguments: [("a=b", true), ("Sent Items=Sent", true), ("x=y=z", true), ("=b", false), ("a=", false), ("ab", false)])
    func parseMap(_ text: String, valid: Bool) {
        let parsed = (try? FolderMapper.parseMap(text)) != nil
        #expect(parsed == valid)
    }
}
