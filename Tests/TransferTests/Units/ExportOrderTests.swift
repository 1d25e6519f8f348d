import Testing
@testable import Transfer

@Suite("Export order")
struct ExportOrderTests {
    func folder(_ name: String, messages: Int, bytes: UInt64, selectable: Bool = true) -> FolderInfo {
        FolderInfo(name: name, components: [name], separator: "/", selectable: selectable, messageCount: messages, bytes: bytes)
    }

    @Test("connections take the biggest folders first; ties keep the listing order")
    func largestFirst() {
        let plan = ExportPlan(folders: [
            folder("Archive", messages: 10, bytes: 5_000),
            folder("INBOX", messages: 400, bytes: 90_000),
            folder("Lists", messages: 0, bytes: 0, selectable: false),
            folder("Sent", messages: 50, bytes: 90_000),
            folder("Trash", messages: 3, bytes: 5_000),
        ], capabilities: [], separator: "/")
        #expect(plan.largestFirst.map(\.name) == ["INBOX", "Sent", "Archive", "Trash", "Lists"])
    }

    @Test("without STATUS=SIZE the message count decides")
    func byCount() {
        let plan = ExportPlan(folders: [
            folder("A", messages: 1, bytes: 0), folder("B", messages: 30, bytes: 0), folder("C", messages: 7, bytes: 0),
        ], capabilities: [], separator: "/")
        #expect(plan.largestFirst.map(\.name) == ["B", "C", "A"])
    }
}
