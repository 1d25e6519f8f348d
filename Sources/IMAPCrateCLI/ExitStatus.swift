import Crate
import IMAPClient
import Transfer

/// The exit statuses DESIGN.md documents, chosen from the error that ended the command.
enum ExitStatus: Int32 {
    case failure = 1
    case cannotConnect = 10
    case tlsFailure = 12
    case authenticationFailed = 16
    case crateInvalid = 20
    case usage = 64
    case locked = 75
    case partial = 111

    /// nil for errors that ArgumentParser reports itself (usage, help, version, ExitCode).
    init?(for error: any Error) {
        switch error {
        case let error as IMAPClientError:
            switch error.code {
            case .connectionFailed: self = .cannotConnect
            case .tlsFailed, .plaintextRefused: self = .tlsFailure
            case .authenticationFailed: self = .authenticationFailed
            case .invalidConfiguration: self = .usage
            default: self = .failure
            }
        case let error as TransferError:
            switch error.code {
            case .usage: self = .usage
            case .locked: self = .locked
            case .crateInvalid: self = .crateInvalid
            case .partial: self = .partial
            default: self = .failure
            }
        case let error as CrateError:
            switch error.code {
            case .locked: self = .locked
            case .io, .invalidArgument: self = .failure
            default: self = .crateInvalid
            }
        case let error as CLIError:
            self = error.status
        default:
            return nil
        }
    }

    /// The one line printed for `error`.
    static func message(for error: any Error) -> String {
        "\(error)"
    }
}

/// A failure found by the CLI itself (missing password source, unreadable file).
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var description: String

    init(_ status: ExitStatus, _ description: String) {
        self.status = status
        self.description = description
    }
}
