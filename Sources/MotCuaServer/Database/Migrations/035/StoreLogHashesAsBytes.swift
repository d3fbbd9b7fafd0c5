import Fluent
import SQLKit

/// The log chain's hashes stored as their 32 bytes instead of 64 characters of hex (issue 23,
/// point 10): each entry's two and the dossier's anchor. The chain is unchanged: it is still
/// computed over the hex text, which is how every hash is read back.
struct StoreLogHashesAsBytes: AsyncMigration {
    private static let columns = [
        ("log_entries", "prev_hash", true), ("log_entries", "hash", true), ("dossiers", "log_hash", false),
    ]

    func prepare(on database: any Database) async throws {
        try await convert(on: database, toBytes: true)
    }

    func revert(on database: any Database) async throws {
        try await convert(on: database, toBytes: false)
    }

    /// Each column through a new one: added (NOT NULL where the old one was), filled from the old,
    /// the old dropped, the new renamed.
    private func convert(on database: any Database, toBytes: Bool) async throws {
        let sql = database as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        for (table, column, required) in Self.columns {
            let new = column + "_converted"
            let bytes = postgres ? "BYTEA NOT NULL DEFAULT '\\x'" : "BLOB NOT NULL DEFAULT x''"
            let type =
                toBytes
                ? (required ? bytes : postgres ? "BYTEA" : "BLOB") : (required ? "TEXT NOT NULL DEFAULT ''" : "TEXT")
            // SQLite has `unhex` since 3.41 (SQLiteNIO brings 3.54); PostgreSQL `decode`.
            let value =
                toBytes
                ? (postgres ? "decode(\(column), 'hex')" : "unhex(\(column))")
                : (postgres ? "encode(\(column), 'hex')" : "lower(hex(\(column)))")
            try await sql.raw("ALTER TABLE \(ident: table) ADD COLUMN \(ident: new) \(unsafeRaw: type)").run()
            try await sql.raw("UPDATE \(ident: table) SET \(ident: new) = \(unsafeRaw: value)").run()
            if postgres, required {
                try await sql.raw("ALTER TABLE \(ident: table) ALTER COLUMN \(ident: new) DROP DEFAULT").run()
            }
            try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
            try await sql.raw("ALTER TABLE \(ident: table) RENAME COLUMN \(ident: new) TO \(ident: column)").run()
        }
    }
}
