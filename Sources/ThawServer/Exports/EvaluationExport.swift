import Foundation
import ThawCore

/// The evaluation report and the de-identified ledger as CSV: each table as it is shown
/// (wide), the whole report as one long table (one figure per line, for R, Stata or DuckDB),
/// and the ledger.
enum EvaluationExport {
    /// A figure as CSV writes it: numbers plainly (rates to four places, durations to two),
    /// hidden figures as `<5` (the threshold), figures that do not exist empty.
    static func text(_ cell: ReportTable.Cell, _ kind: ReportTable.Column.Kind, threshold: Int) -> String {
        switch cell {
        case .label(let text): return text
        case .hidden: return "<\(threshold)"
        case .none: return ""
        case .number(let v):
            switch kind {
            case .count: return String(Int(v.rounded()))
            case .rate: return String(format: "%.4f", v)
            case .hours, .days, .score, .money: return String(format: "%.2f", v)
            case .label: return String(v)
            }
        }
    }

    static func header(_ column: ReportTable.Column) -> String { column.previous ? column.name + " (previous period)" : column.name }

    static func tableCSV(_ table: ReportTable, threshold: Int) -> String {
        CSV.document(
            header: table.columns.map(header),
            rows: table.rows.map { row in zip(row, table.columns).map { text($0, $1.kind, threshold: threshold) } })
    }

    /// Every figure of the report, one per line: table, row, column, period, value, and whether it is hidden.
    static func longCSV(_ report: EvaluationReport) -> String {
        var rows: [[String]] = []
        for table in report.tables {
            for row in table.rows {
                guard case .label(let label)? = row.first else { continue }
                for (cell, column) in zip(row, table.columns).dropFirst() where column.kind != .label {
                    let period = column.previous ? report.previousPeriod : report.period
                    rows.append([
                        table.id, label, column.name, column.previous ? "previous" : "current", period.from.description, period.until.description,
                        cell.value.map { text(.number($0), column.kind, threshold: report.threshold) } ?? "", cell.isHidden ? "true" : "false"
                    ])
                }
            }
        }
        return CSV.document(header: ["table", "row", "column", "period", "period from", "period until", "value", "suppressed"], rows: rows)
    }

    static func ledgerCSV(_ entries: [DeidentifiedEntry]) -> String {
        CSV.document(
            header: [
                "order", "day", "actor role", "actor organisation", "actor organisation type", "counterpart organisation",
                "counterpart organisation type", "kind", "subject type", "subject", "channel", "detail"
            ],
            rows: entries.map { e in
                [
                    String(e.order), e.day.description, e.actorRole, e.actorOrganization, e.actorSector?.rawValue ?? "", e.counterpartOrganization,
                    e.counterpartSector?.rawValue ?? "", e.kind, e.subjectType, e.subject, e.channel.rawValue,
                    e.detail.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
                ]
            })
    }
}
