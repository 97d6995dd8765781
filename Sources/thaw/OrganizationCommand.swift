import ArgumentParser
import Logging
import ThawCore
import ThawServer
import ThawStorage

struct OrganizationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "organization", abstract: "Manage organisations.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an organisation and print its id.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Name.") var name: String
        @Option(help: "Sector: \(Sector.allCases.map(\.rawValue).joined(separator: ", ")).") var sector: String
        @Option(help: "Alignment: \(Alignment.allCases.map(\.rawValue).joined(separator: ", ")).") var alignment: String?
        @Option(help: "Id of the organisation this one is part of.") var parent: String?
        @Option(help: "Area served.") var area: String?

        func run() async throws {
            guard let sector = Sector(rawValue: sector) else {
                throw ValidationError("unknown sector '\(sector)'; use \(Sector.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var parsedAlignment: Alignment?
            if let alignment {
                guard let value = Alignment(rawValue: alignment) else {
                    throw ValidationError("unknown alignment '\(alignment)'; use \(Alignment.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                parsedAlignment = value
            }
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            let org = try await ThawStore(database: database, clock: SystemClock()).createOrganization(
                NewOrganization(name: name, sector: sector, alignment: parsedAlignment, parentId: parent.map { ID($0) }, area: area))
            print(org.id)
            try await database.close()
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List organisations: id, sector, name.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            for org in try await ThawStore(database: database, clock: SystemClock()).organizations() {
                print("\(org.id)\t\(org.sector.rawValue)\t\(org.name)")
            }
            try await database.close()
        }
    }
}
