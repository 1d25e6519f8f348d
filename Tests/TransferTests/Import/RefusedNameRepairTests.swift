import Testing
@testable import Transfer

@Suite("Repairing folder names a destination refuses")
struct RefusedNameRepairTests {
    @Test("each level is made safe the same way every time", arguments: [
        ("../../x", Character("/"), "__/__/x"),
        ("a/../../b", "/", "a/__/__/b"),
        ("..", "/", "__"),
        ("/tmp/evil", "/", "_/tmp/evil"),
        ("a//b", "/", "a/_/b"),
        ("trailing/", "/", "trailing/_"),
        ("ctl\u{1}name\u{7F}", "/", "ctl_name_"),
        ("~user/~x~", "/", "_user/_x~"),
        ("back\\slash", "/", "back_slash"),
        ("a.b/c", "/", "a_b/c"),
        ("a.b.c", ".", "a.b.c"),
        ("Entwürfe/Отправленные", "/", "Entwürfe/Отправленные"),
    ])
    func repairs(name: String, separator: Character, expected: String) {
        #expect(RefusedNameRepair.repaired(name, separator: separator) == expected)
    }

    @Test("long levels are cut; a flat namespace is one level")
    func limits() {
        let long = String(repeating: "é", count: 300)
        #expect(RefusedNameRepair.repaired(long + "/x", separator: "/") == String(repeating: "é", count: 120) + "/x")
        #expect(RefusedNameRepair.repaired("a/b", separator: nil) == "a_b")
    }
}
