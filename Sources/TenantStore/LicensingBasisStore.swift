import Foundation
import GRDB
import TenantModel

/// Reads and writes the `licensing_basis` row.
enum LicensingBasisStore {
    /// Replaces the stored basis with `basis` at the store's current generation, or removes it.
    static func write(_ basis: LicensingBasis?, _ db: Database) throws {
        guard let basis else {
            try db.execute(sql: "DELETE FROM licensing_basis")
            return
        }
        let units = try JSONEncoder().encode(basis.consumedUnits)
        let totals = try JSONEncoder().encode(basis.totals)
        try db.execute(
            sql: "INSERT OR REPLACE INTO licensing_basis (id, fingerprint, generation, consumedUnits, totals) VALUES (1, ?, ?, ?, ?)",
            arguments: [
                basis.fingerprint, try StoreGeneration.current(db), String(decoding: units, as: UTF8.self),
                String(decoding: totals, as: UTF8.self),
            ])
    }

    /// The stored basis when it was written at the store's current generation (no other command wrote since) with
    /// this fingerprint; `nil` otherwise.
    static func current(fingerprint: String, _ db: Database) throws -> LicensingBasis? {
        guard let row = try Row.fetchOne(
                db, sql: "SELECT fingerprint, generation, consumedUnits, totals FROM licensing_basis WHERE id = 1"),
            row[0] as String == fingerprint, row[1] as Int64 == (try StoreGeneration.current(db))
        else { return nil }
        let units: String = row[2]
        let totals: String = row[3]
        guard let consumed = try? JSONDecoder().decode([String: Int].self, from: Data(units.utf8)),
            let counted = try? JSONDecoder().decode(TenantTotals.self, from: Data(totals.utf8))
        else { return nil }
        return LicensingBasis(fingerprint: fingerprint, consumedUnits: consumed, totals: counted)
    }
}
