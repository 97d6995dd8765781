import Foundation
import ThawClimateFold
import ThawCore

/// The fold (`ThawClimateFold`) seen through the `climate_months` table: the
/// ledger's columns it reads, and its months as stored rows.
extension LedgerScan {
    /// The columns `add(row:)` reads, in this order.
    static let columns = "at, actor_user_id, actor_organization_id, counterpart_organization_id, kind, channel, detail"

    /// Reads one row of `columns`, in place. Generic, so that SQLite's rows are read as compiled for their own type
    /// (no protocol call per column).
    mutating func add<Row: SQLScanRow>(row: Row) {
        row.withText(1) { user in
            row.withText(2) { actor in
                row.withText(3) { counterpart in
                    row.withText(4) { kind in
                        row.withText(5) { channel in
                            row.withText(6) { detail in
                                add(
                                    LedgerEntryBytes(
                                        at: row.int64(0), actorUser: user, actorOrganization: actor, counterpartOrganization: counterpart,
                                        kind: kind, channel: channel, detail: detail))
                            }
                        }
                    }
                }
            }
        }
    }
}

extension LedgerFold {
    /// The stored row (key, then `ClimateMonthRows.values`) of the months in `slots`, named by `names`.
    func rows(_ slots: ArraySlice<Int>, names: Names) -> [[SQLValue]] {
        var encoded = EncodedMonth()
        return slots.map { slot in
            encode(slot, names: names, into: &encoded)
            return key(slot, names: names).binds + encoded.values
        }
    }

    /// The stored key of the month in `slot`.
    func key(_ slot: Int, names: Names) -> ClimateMonthRows.Key {
        let key = key(slot)
        return ClimateMonthRows.Key(lo: names.organizations[Int(key.lo)], hi: names.organizations[Int(key.hi)], month: Self.date(key.month))
    }
}

extension EncodedMonth {
    /// The values as bound to the row's columns after its key.
    var values: [SQLValue] {
        sums.map(\.sqlValue) + [
            contactWeeks.sqlValue, people.sqlValue,
            .text(String(decoding: days, as: UTF8.self)), .text(String(decoding: members, as: UTF8.self))
        ]
    }

    /// Whether a stored row's columns from `first` on (in `ClimateMonthRows.valueColumns` order) hold exactly these values.
    func isHeld(by row: any SQLScanRow, from first: Int) -> Bool {
        for (offset, sum) in sums.enumerated() where row.int64(first + offset) != Int64(sum) { return false }
        let next = first + sums.count
        return row.int64(next) == Int64(contactWeeks) && row.int64(next + 1) == Int64(people)
            && Self.same(days, row, next + 2) && Self.same(members, row, next + 3)
    }

    private static func same(_ bytes: [UInt8], _ row: any SQLScanRow, _ column: Int) -> Bool {
        bytes.withUnsafeBytes { mine in
            row.withText(column) { stored in
                guard let stored, let storedBase = stored.baseAddress, stored.count == mine.count else { return false }
                guard let mineBase = mine.baseAddress else { return true }
                return memcmp(storedBase, mineBase, mine.count) == 0
            }
        }
    }
}
