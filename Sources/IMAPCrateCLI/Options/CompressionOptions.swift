import ArgumentParser
import Crate

/// `--compression gzip|none` and `--compression-level N`.
struct CompressionOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument {
        case gzip, none
    }

    @Option(name: .long, help: "gzip (default) or none (fastest, largest).")
    var compression: Kind = .gzip

    @Option(name: .long, help: ArgumentHelp("zlib level 1 (default, fastest: already-compressed attachments are stored as they are) to 9 (smallest); 2 also shrinks those attachments by a quarter; 6 and above search everywhere (see docs/crate-format.md).", valueName: "n"))
    var compressionLevel: Int = 1

    func validate() throws {
        guard (1...9).contains(compressionLevel) else { throw ValidationError("--compression-level must be between 1 and 9.") }
    }

    var settings: CompressionSettings {
        compression == .none ? .none : .gzip(level: compressionLevel)
    }
}
