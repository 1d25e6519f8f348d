import ArgumentParser
import IMAPClient

/// `--imap-compress auto|on|off`.
extension CompressionPolicy: ExpressibleByArgument {}
