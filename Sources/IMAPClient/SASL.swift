import Foundation

/// SASL initial responses, base64-encoded for AUTHENTICATE.
enum SASL {
    /// RFC 4616: `authzid NUL authcid NUL passwd` with an empty authzid.
    static func plain(username: String, password: String) -> String {
        base64("\u{0}\(username)\u{0}\(password)")
    }

    /// Google's XOAUTH2: `user=U ^A auth=Bearer T ^A ^A`.
    static func xoauth2(username: String, token: String) -> String {
        base64("user=\(username)\u{1}auth=Bearer \(token)\u{1}\u{1}")
    }

    /// RFC 7628 §3.1 OAUTHBEARER: `n,a=U, ^A host=H ^A port=P ^A auth=Bearer T ^A ^A`.
    static func oauthBearer(username: String, token: String, host: String, port: Int) -> String {
        let escaped = username.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
        return base64("n,a=\(escaped),\u{1}host=\(host)\u{1}port=\(port)\u{1}auth=Bearer \(token)\u{1}\u{1}")
    }

    static func base64(_ text: String) -> String {
        Data(text.utf8).base64EncodedString()
    }
}
