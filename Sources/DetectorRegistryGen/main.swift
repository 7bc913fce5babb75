// The build tool behind Plugins/DetectorRegistryPlugin: reads a module's Swift files and writes
// the list of its types that conform to a protocol (see `RegistryGenerator` for why).
//
//   DetectorRegistryGen --output <file> --protocol <name> --function <name> [--import <module>]... <source>...
//
// Exit status 0 when written; 1 with `file:line:col: error: …` lines on stderr when a source
// cannot be read or declares a conformance that cannot be listed (the build then fails);
// 64 on a usage error. No Foundation: the C library reads and writes the files.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import DetectorRegistryGenCore

struct Arguments {
    var output = ""
    var protocolName = ""
    var function = ""
    var imports: [String] = []
    var sources: [String] = []

    init?(_ args: ArraySlice<String>) {
        var it = args.makeIterator()
        while let a = it.next() {
            switch a {
            case "--output": output = it.next() ?? ""
            case "--protocol": protocolName = it.next() ?? ""
            case "--function": function = it.next() ?? ""
            case "--import": imports.append(it.next() ?? "")
            default: sources.append(a)
            }
        }
        if output.isEmpty || protocolName.isEmpty || function.isEmpty || imports.contains("") { return nil }
    }
}

/// One line on stderr (file descriptor 2: the C `stderr` global is not concurrency-safe in Swift 6).
func complain(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        done += n
    }
}

/// The whole file, or the reason it could not be read.
func readFile(_ path: String) -> Result<[UInt8], CError> {
    guard let f = fopen(path, "rb") else { return .failure(CError()) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        bytes.append(contentsOf: chunk[0..<n])
        if n < chunk.count { break }
    }
    return ferror(f) != 0 ? .failure(CError()) : .success(bytes)
}

/// Writes the file whole; an existing file with the same bytes is left alone.
func writeFile(_ path: String, _ text: String) -> CError? {
    if case .success(let old) = readFile(path), old == Array(text.utf8) { return nil }
    guard let f = fopen(path, "wb") else { return CError() }
    let bytes = Array(text.utf8)
    let written = fwrite(bytes, 1, bytes.count, f)
    let closed = fclose(f)
    return written == bytes.count && closed == 0 ? nil : CError()
}

/// `errno` as words.
struct CError: Error {
    let message: String
    init() { message = String(cString: strerror(errno)) }
}

guard let args = Arguments(CommandLine.arguments.dropFirst()) else {
    complain(
        "usage: DetectorRegistryGen --output <file> --protocol <name> --function <name> [--import <module>]... <source>..."
    )
    exit(64)
}
var generator = RegistryGenerator(protocolName: args.protocolName, functionName: args.function, imports: args.imports)
for path in args.sources {
    switch readFile(path) {
    case .success(let bytes): generator.add(file: path, source: bytes)
    case .failure(let e): generator.addUnreadable(file: path, reason: e.message)
    }
}
switch generator.render() {
case .success(let text):
    if let e = writeFile(args.output, text) {
        complain("\(args.output): error: cannot write the generated registry: \(e.message)")
        exit(1)
    }
case .failure(let failure):
    for e in failure.errors { complain(e.description) }
    complain("DetectorRegistryGen: \(failure.errors.count) error(s); \(args.output) not written")
    exit(1)
}
