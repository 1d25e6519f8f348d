/// Folder names that mean a special use when a server has no RFC 6154 attributes, in the
/// languages mail providers and clients use. Compared case-insensitively on the last
/// hierarchy component (so `INBOX.Sent Items` matches too).
enum SpecialUseNames {
    static let table: [String: [String]] = [
        "\\Sent": [
            "Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail", "Gesendet", "Gesendete Objekte",
            "Gesendete Elemente", "Envoyés", "Éléments envoyés", "Messages envoyés", "Envoyé", "Enviados", "Elementos enviados",
            "Inviati", "Posta inviata", "Verzonden", "Verzonden items", "Skickat", "Skickade objekt", "Sendt", "Sendte elementer",
            "Lähetetyt", "Wysłane", "Odeslané", "Отправленные", "Елементи надіслані", "已发送", "寄件備份", "送信済み", "送信済みアイテム",
        ],
        "\\Drafts": [
            "Drafts", "Draft", "[Gmail]/Drafts", "Entwürfe", "Brouillons", "Borradores", "Bozze", "Concepten", "Utkast",
            "Kladder", "Luonnokset", "Wersje robocze", "Koncepty", "Черновики", "草稿", "下書き",
        ],
        "\\Trash": [
            "Trash", "Deleted Items", "Deleted Messages", "Deleted", "Bin", "[Gmail]/Trash", "[Gmail]/Bin", "Papierkorb",
            "Gelöschte Objekte", "Gelöschte Elemente", "Corbeille", "Éléments supprimés", "Papelera", "Elementos eliminados",
            "Cestino", "Prullenbak", "Verwijderde items", "Papperskorgen", "Borttaget", "Papirkurv", "Slettede elementer",
            "Roskakori", "Kosz", "Koš", "Корзина", "Удаленные", "已删除", "垃圾桶", "ゴミ箱",
        ],
        "\\Junk": [
            "Junk", "Junk E-mail", "Junk Email", "Junk Mail", "Spam", "Bulk Mail", "[Gmail]/Spam", "Spamverdacht",
            "Courrier indésirable", "Indésirables", "Correo no deseado", "Posta indesiderata", "Ongewenste e-mail",
            "Skräppost", "Søppelpost", "Roskaposti", "Nevyžádaná pošta", "Спам", "垃圾邮件", "迷惑メール",
        ],
        "\\Archive": [
            "Archive", "Archives", "Archived", "Archiv", "Archivo", "Archivio", "Archief", "Arkiv", "Arkisto", "Archiwum",
            "Архив", "归档", "アーカイブ",
        ],
    ]

    /// The special use a folder name suggests, if any.
    static func role(ofName name: String, separator: Character?) -> String? {
        let candidates = [name, separator.map { name.split(separator: $0).last.map(String.init) ?? name } ?? name]
        for (role, names) in table {
            for candidate in candidates where names.contains(where: { $0.compare(candidate) }) {
                return role
            }
        }
        return nil
    }
}

extension String {
    /// Case-insensitive equality for folder names (Unicode-aware lowercasing).
    fileprivate func compare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
