import Testing
@testable import Crate

@Suite("mbox From line")
struct MboxFromLineTests {
    @Test("dates are written in asctime form, UTC", arguments: [
        (Int64(0), "Thu Jan  1 00:00:00 1970"),
        (837_596_665, "Wed Jul 17 09:44:25 1996"),
        (951_782_400, "Tue Feb 29 00:00:00 2000"),
        (1_704_067_199, "Sun Dec 31 23:59:59 2023"),
        (-1, "Wed Dec 31 23:59:59 1969"),
        (-86_400 * 365, "Wed Jan  1 00:00:00 1969"),
    ] as [(Int64, String)])
    func asctime(seconds: Int64, expected: String) {
        #expect(MboxFromLine.asctime(unixSeconds: seconds) == expected)
    }

    @Test("the line names MAILER-DAEMON and ends in LF")
    func line() {
        #expect(MboxFromLine.line(unixSeconds: 0) == Array("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n".utf8))
    }
}
