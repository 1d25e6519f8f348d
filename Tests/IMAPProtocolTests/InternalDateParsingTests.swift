import Foundation
import IMAPProtocol
import Testing

@Suite("INTERNALDATE date-time (RFC 3501 §9)")
struct InternalDateParsingTests {
    static let valid: [(String, InternalDate, String)] = [
        ("17-Jul-1996 02:44:25 -0700",
         InternalDate(year: 1996, month: 7, day: 17, hour: 2, minute: 44, second: 25, zoneMinutes: -420),
         "17-Jul-1996 02:44:25 -0700"),
        (" 7-Jul-1996 02:44:25 -0700",
         InternalDate(year: 1996, month: 7, day: 7, hour: 2, minute: 44, second: 25, zoneMinutes: -420),
         "07-Jul-1996 02:44:25 -0700"),
        ("7-jul-1996 02:44:25 +0000",
         InternalDate(year: 1996, month: 7, day: 7, hour: 2, minute: 44, second: 25, zoneMinutes: 0),
         "07-Jul-1996 02:44:25 +0000"),
        ("29-Feb-2024 23:59:59 +0530",
         InternalDate(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59, zoneMinutes: 330),
         "29-Feb-2024 23:59:59 +0530"),
        ("01-JAN-1970 00:00:00 -1200",
         InternalDate(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, zoneMinutes: -720),
         "01-Jan-1970 00:00:00 -1200"),
        ("31-Dec-2099 12:00:60 +1400",
         InternalDate(year: 2099, month: 12, day: 31, hour: 12, minute: 0, second: 60, zoneMinutes: 840),
         "31-Dec-2099 12:00:60 +1400"),
    ]

    @Test("parses valid date-times and writes them back zero-padded", arguments: valid)
    func parses(_ row: (String, InternalDate, String)) throws {
        let parsed = try InternalDate(parsing: row.0)
        #expect(parsed == row.1)
        #expect(parsed.imapString == row.2)
        #expect(try InternalDate(parsing: parsed.imapString) == parsed)
    }

    static let invalid: [String] = [
        "", "17-Jul-1996", "17-Jul-1996 02:44:25", "17-Jul-96 02:44:25 -0700", "17 Jul 1996 02:44:25 -0700",
        "17-Jux-1996 02:44:25 -0700", "32-Jul-1996 02:44:25 -0700", "29-Feb-2023 02:44:25 -0700",
        "31-Apr-2023 02:44:25 -0700", "00-Jul-1996 02:44:25 -0700", "17-Jul-1996 24:00:00 -0700",
        "17-Jul-1996 02:60:00 -0700", "17-Jul-1996 02:44:61 -0700", "17-Jul-1996 02:44:25 0700",
        "17-Jul-1996 02:44:25 -07:00", "17-Jul-1996 02:44:25 -0760", "17-Jul-1996 02:44:25 -0700 ",
        "17-Jul-1996 2:44:25 -0700", "Wed, 17 Jul 1996 02:44:25 -0700", "\"17-Jul-1996 02:44:25 -0700\"",
    ]

    @Test("rejects malformed date-times with invalidDate", arguments: invalid)
    func rejects(_ text: String) {
        #expect {
            try InternalDate(parsing: text)
        } throws: { error in
            (error as? IMAPProtocolError)?.code == .invalidDate
        }
    }

    @Test("converts to the absolute instant, honouring the zone")
    func absoluteInstant() throws {
        #expect(try InternalDate(parsing: "01-Jan-1970 00:00:00 +0000").date == Date(timeIntervalSince1970: 0))
        #expect(try InternalDate(parsing: "17-Jul-1996 02:44:25 -0700").date == Date(timeIntervalSince1970: 837_596_665))
        #expect(try InternalDate(parsing: "17-Jul-1996 09:44:25 +0000").date
            == InternalDate(parsing: "17-Jul-1996 02:44:25 -0700").date)
        #expect(try InternalDate(parsing: "31-Dec-1969 23:59:59 +0000").date == Date(timeIntervalSince1970: -1))
    }

    @Test("builds the wall-clock reading of an instant in a zone")
    func fromInstant() {
        let instant = Date(timeIntervalSince1970: 837_596_665.75)
        #expect(InternalDate(date: instant, zoneMinutes: -420).imapString == "17-Jul-1996 02:44:25 -0700")
        #expect(InternalDate(date: instant, zoneMinutes: 0).imapString == "17-Jul-1996 09:44:25 +0000")
        #expect(InternalDate(date: instant, zoneMinutes: 330).imapString == "17-Jul-1996 15:14:25 +0530")
        #expect(InternalDate(date: Date(timeIntervalSince1970: -1), zoneMinutes: 0).imapString == "31-Dec-1969 23:59:59 +0000")
        #expect(InternalDate(date: Date(timeIntervalSince1970: 951_782_400), zoneMinutes: 0).imapString
            == "29-Feb-2000 00:00:00 +0000")
    }

    @Test("instant and components agree over many days")
    func roundTripsInstants() {
        for day in stride(from: -40_000, through: 60_000, by: 97) {
            let instant = Date(timeIntervalSince1970: Double(day) * 86_400 + 12_345)
            let local = InternalDate(date: instant, zoneMinutes: -90)
            #expect(local.date == instant)
        }
    }
}
