public enum IMAPCrate { public static func main() async {} }
