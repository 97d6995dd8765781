import ArgumentParser
import Foundation
import HummingbirdBcrypt
import Logging
import ThawCore
import ThawServer
import ThawStorage

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user. The password is read from $THAW_PASSWORD or prompted for; it is never an argument.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Organisation id (see `thaw demo` output or GET /api/v1/organizations).") var organization: String
        @Option(help: "Email used to sign in.") var email: String
        @Option(help: "Name shown to others.") var name: String
        @Option(
            help:
                "Comma-separated roles: navigator, clinician, partner-staff, partnership-lead, administrator (of this organisation), network-administrator (organisations and their first administrators)."
        ) var roles: String

        func run() async throws {
            let parsedRoles = try roles.split(separator: ",").map { raw -> Role in
                guard let role = Role(rawValue: raw.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown role '\(raw)'; use \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return role
            }
            guard let password = Environment.value("THAW_PASSWORD") ?? readPassword() else {
                throw ValidationError("no password given: set THAW_PASSWORD or type it at the prompt")
            }
            let input = NewUser(
                organizationId: ID(organization), email: email, displayName: name,
                roles: Set(parsedRoles), password: password)
            try input.validate()
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            let store = ThawStore(database: database, clock: SystemClock())
            let user = try await store.createUser(input, passwordHash: Bcrypt.hash(password, cost: 12))
            print("added \(user.email) (\(user.id)) with roles \(user.roles.map(\.rawValue).sorted().joined(separator: ", "))")
            try await database.close()
        }

        private func readPassword() -> String? {
            guard let raw = getpass("Password (12+ characters): ") else { return nil }
            let value = String(cString: raw)
            return value.isEmpty ? nil : value
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.",
        subcommands: [Create.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token for a user and print its secret once.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Email of the user the token acts as.") var email: String
        @Option(help: "A name to recognise the token by.") var name = "cli"
        @Option(help: "Days until the token expires (default: never).") var days: Int?

        func run() async throws {
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            let store = ThawStore(database: database, clock: SystemClock())
            guard let user = try await store.user(email: email) else { throw ValidationError("no user with email \(email)") }
            let expires = days.map { store.clock.now().adding(days: $0) }
            let (token, secret) = try await store.createToken(user: user.id, name: name, expiresAt: expires, by: nil)
            print("token \(token.id) for \(user.email):")
            print(secret)
            try await database.close()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by id.")
        @OptionGroup var db: DatabaseOptions
        @Argument(help: "Token id (tok_...).") var id: String

        func run() async throws {
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            try await ThawStore(database: database, clock: SystemClock()).revokeToken(ID(id), by: nil)
            print("revoked \(id)")
            try await database.close()
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export data.", subcommands: [Activity.self])

    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the activity ledger as NDJSON, oldest first.")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Only entries after this sequence number.") var after: Int64 = 0

        func run() async throws {
            let database = try await openDatabase(db.url, logger: Logger(label: "thaw"))
            let encoder = ThawJSON.makeEncoder()
            let out = FileHandle.standardOutput
            try await ThawStore(database: database, clock: SystemClock()).exportActivity(after: after) { entry in
                var line = try encoder.encode(entry)
                line.append(0x0A)
                out.write(line)
            }
            try await database.close()
        }
    }
}
