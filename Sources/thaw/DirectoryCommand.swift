import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import ThawCore
import ThawServer
import ThawStorage

/// The HSDS 3.0 service directory: import and export in the standard's shapes.
struct DirectoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory", abstract: "The service directory, in Open Referral HSDS 3.0.",
        subcommands: [DirectoryImportCommand.self, DirectoryExportCommand.self, DirectoryGenerateCommand.self])
}

struct DirectoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import HSDS 3.0: a JSON file (*_full records, a list, or an API page), a data package directory (CSVs), or a URL.",
        discussion: """
            Every record is checked first; if any is refused, nothing is imported and each refusal is listed \
            (file, row, field, rule), unless --allow-partial. Importing the same data again changes nothing; a \
            changed record updates (unless the directory holds a newer last_modified). The server may keep running.
            """)

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "A .json file, a directory holding a data package's CSVs (and .json files), or an http(s) URL of HSDS JSON.")
    var source: String
    @Flag(help: "Import the records that pass, leaving out the refused ones and any record that links to them.")
    var allowPartial = false

    func run() async throws {
        let reading = try await Self.read(source)
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        let store = ThawStore(database: database, clock: SystemClock())
        let report = try await store.importDirectory(reading, allowPartial: allowPartial) { done, total in
            ProgressBar.draw(done, total, unit: "records")
        }
        try await database.close()
        FileHandle.standardError.write(Data("\n".utf8))
        for problem in report.refused.prefix(1000) { print("refused: \(problem)") }
        if report.refused.count > 1000 { print("refused: … and \(report.refused.count - 1000) more") }
        if !reading.ignored.isEmpty { print("not HSDS 3.0, not kept: " + reading.ignored.sorted().joined(separator: ", ")) }
        if report.writtenNothing {
            print("nothing imported: \(report.refused.count) problem(s); fix them, or import the rest with --allow-partial")
            throw ExitCode(1)
        }
        print("imported: \(report.added) added, \(report.updated) updated, \(report.unchanged) unchanged, \(report.older) older than the directory's")
    }

    /// Reads a file, a directory (each .csv as a table of the package, each .json by its name) or a URL.
    static func read(_ source: String) async throws -> HSDSReading {
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: source), timeout: .seconds(60))
            guard response.status.code == 200 else { throw ValidationError("\(source) answered \(response.status.code)") }
            let body = try await response.body.collect(upTo: 512 << 20)
            return HSDSReader.json(Data(buffer: body), file: source)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw ValidationError("\(source) does not exist") }
        guard isDirectory.boolValue else { return try readFile(source) }
        var reading = HSDSReading()
        let names = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        // Tables in the standard's order, so the report reads in the order records depend on each other.
        let order = Dictionary(uniqueKeysWithValues: HSDS.entities.enumerated().map { ($1.file, $0) })
        for name in names.sorted(by: { (order[$0] ?? 99, $0) < (order[$1] ?? 99, $1) })
        where name.hasSuffix(".csv") || (name.hasSuffix(".json") && name != "datapackage.json") {
            reading.add(try readFile(source + "/" + name))
        }
        if reading.records.isEmpty && reading.problems.isEmpty {
            throw ValidationError("\(source) holds no HSDS tables (.csv) or JSON files")
        }
        return reading
    }

    static func readFile(_ path: String) throws -> HSDSReading {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if path.hasSuffix(".csv") {
            guard let text = String(data: data, encoding: .utf8) else {
                var reading = HSDSReading()
                reading.problems.append(HSDSProblem(file: name, row: "", field: "", rule: "utf-8", message: "the file is not UTF-8 text"))
                return reading
            }
            return HSDSReader.table(text, file: name)
        }
        return HSDSReader.json(data, file: name)
    }
}

struct DirectoryExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export the directory as an HSDS 3.0 data package (CSV) or as JSON files, into a directory.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var db: DatabaseOptions
    @Argument(help: "The directory to write into (made if missing).") var output: String
    @Option(help: "csv: a data package (datapackage.json and a CSV per table); json: *_full JSON files.") var format: Format = .csv

    func run() async throws {
        let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
        let writer = HSDSWriter(try await ThawStore(database: database, clock: SystemClock()).directoryRecords())
        try await database.close()
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var written: [String] = []
        switch format {
        case .csv:
            for table in writer.tables() {
                try Data(table.text.utf8).write(to: URL(fileURLWithPath: output + "/" + table.file))
                written.append(table.file)
            }
            try writer.dataPackage(name: "thaw-directory").write(to: URL(fileURLWithPath: output + "/datapackage.json"))
            written.append("datapackage.json")
        case .json:
            for file in try writer.jsonFiles() {
                try file.data.write(to: URL(fileURLWithPath: output + "/" + file.file))
                written.append(file.file)
            }
        }
        print("wrote " + written.joined(separator: ", ") + " into \(output)")
    }
}

struct DirectoryGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a made-up HSDS data package of as many services as asked, for trying search and import at scale.")
    @Option(help: "How many services.") var services = 20_000
    @Argument(help: "The directory to write the package into (made if missing).") var output: String

    func run() throws {
        guard (1...1_000_000).contains(services) else { throw ValidationError("--services is from 1 to 1,000,000") }
        let writer = HSDSWriter(DirectoryGenerator(services: services).records())
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for table in writer.tables() { try Data(table.text.utf8).write(to: URL(fileURLWithPath: output + "/" + table.file)) }
        try writer.dataPackage(name: "generated-directory").write(to: URL(fileURLWithPath: output + "/datapackage.json"))
        print("wrote a data package of \(services) services into \(output)")
    }
}
