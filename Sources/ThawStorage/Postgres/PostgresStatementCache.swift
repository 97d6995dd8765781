import PostgresNIO
import Synchronization

/// Names our queries so that each pooled connection prepares a query once, and PostgreSQL
/// parses and plans it once per connection rather than on every run (planning one of the
/// worklist queries alone took 1.4–2.7 ms; BENCHMARKS.md).
///
/// Only what runs for its rows (`query`, `scan`) is prepared. A data change run for its count
/// (`execute`) stays unnamed: PostgresNIO 1.33 gives no count for a prepared statement (its
/// `execute` that returns the command tag traps, as the tag is read before the rows are marked
/// consumed). Those statements are short to plan; the queries are where the planning time goes.
///
/// A name stands for the SQL and the kinds of its bound values together: PostgreSQL fixes
/// a prepared statement's parameter types when it is prepared, from the first run's
/// values, and a NULL leaves a parameter's type to the server. A statement first run with
/// a NULL and later with a number must therefore be two statements, as two unnamed runs are.
enum PostgresStatementCache {
    /// A statement as it is sent: its name (nil: run it unnamed) and its `$n`-numbered SQL.
    struct Statement: Sendable {
        var name: String?
        var sql: String
    }

    /// Far more than the statement shapes the product runs. Past it, new shapes run unnamed, so a
    /// bug that put values into SQL text could not fill each connection's memory on the server
    /// with prepared statements.
    static let capacity = 2_000
    private static let statements = Mutex<[String: Statement]>([:])

    static func statement(_ sql: String, _ binds: [SQLValue]) -> Statement {
        var key = sql
        key.reserveCapacity(sql.utf8.count + binds.count + 1)
        key.append("\u{0}")
        for value in binds {
            switch value {
            case .null: key.append("n")
            case .int: key.append("i")
            case .double: key.append("d")
            case .text: key.append("t")
            }
        }
        if let known = statements.withLock({ $0[key] }) { return known }
        let numbered = PostgresSQLConnection.numbered(sql)
        return statements.withLock { statements in
            if let known = statements[key] { return known }
            guard statements.count < capacity else { return Statement(name: nil, sql: numbered) }
            // Short names: PostgreSQL cuts identifiers at 63 bytes.
            let statement = Statement(name: isPreparable(sql) ? "thaw_\(statements.count + 1)" : nil, sql: numbered)
            statements[key] = statement
            return statement
        }
    }

    /// Queries and data changes get a name (used only when they run through `query` or `scan`;
    /// `execute` takes just the numbered SQL from here). Transaction control, `SET` and schema
    /// changes have no plan to keep, and PostgreSQL refuses to prepare most statements inside a
    /// transaction that has failed, which a ROLLBACK must still get through.
    static func isPreparable(_ sql: String) -> Bool { preparable.contains(firstWord(sql)) }
    private static let preparable: Set = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]

    private static func firstWord(_ sql: String) -> String {
        let word = sql.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }.prefix { $0 != 0x20 && $0 != 0x0A && $0 != 0x28 }
        return String(decoding: word, as: UTF8.self).uppercased()
    }

    /// PostgresNIO remembers a statement whose preparation failed, and fails every later run of
    /// that name on that connection with the same error, without asking the server. A
    /// preparation can fail for a passing reason (the transaction had already failed, the
    /// statement was cancelled, a lock or memory ran short); after such an error the statement
    /// is run once more unnamed, which either works or fails as the transaction now would.
    static func mayBeLeftFromFailedPreparation(_ error: PSQLError) -> Bool {
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "25P02" || state == "57014" || state == "55P03" || state.hasPrefix("53")
    }
}

/// PostgresNIO prepares only statements whose name and SQL are static members of a type.
/// `NamedQuery` reads them from a task-local value, set just around each call (PostgresNIO reads
/// them when the call starts, and again only to describe an error, still inside the call).
struct CurrentStatement {
    @TaskLocal static var value = PostgresStatementCache.Statement(name: "", sql: "")
}

/// A statement prepared on its connection, run for its rows.
struct NamedQuery: PostgresPreparedStatement {
    static var name: String { CurrentStatement.value.name ?? "" }
    static var sql: String { CurrentStatement.value.sql }
    let bindings: PostgresBindings
    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
