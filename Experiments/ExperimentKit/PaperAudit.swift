import Foundation
import StudyCore
import Yams

/// The paper audit (issue F7): consistency checks derived from the studies' published numbers alone
/// (`Experiments/paper-audit/published.yaml`). Each check states what it computed from what was
/// printed; a failed check is a number that does not add up.
public enum PaperAudit {
    public struct Check: Codable, Sendable, Equatable {
        public var study: String
        public var check: String
        public var subject: String
        public var computed: String
        public var printed: String
        public var consistent: Bool
    }

    public struct Report: Codable, Sendable {
        public var source: String
        public var checks: [Check]
        public var inconsistencies: Int { checks.filter { !$0.consistent }.count }
    }

    public enum AuditError: Error, CustomStringConvertible {
        case malformed(String, String)
        public var description: String {
            switch self { case let .malformed(file, what): "\(file): \(what)" }
        }
    }

    /// Rounding tolerance of numbers printed with two decimals, summed over five classes.
    static let percentTolerance = 0.05 * 5
    static func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }

    public static func run(published path: String) throws -> Report {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any],
              let a = root["study_a"] as? [String: Any], let b = root["study_b"] as? [String: Any] else {
            throw AuditError.malformed(path, "expected study_a and study_b mappings")
        }
        func num(_ v: Any?) -> Double? { (v as? Double) ?? (v as? Int).map(Double.init) }
        func nums(_ v: Any?) -> [Double]? { (v as? [Any])?.compactMap(num) }
        var checks: [Check] = []

        // Study A, Table 1: each best value inside its own search range.
        for row in a["table1_hyperparameters"] as? [[String: Any]] ?? [] {
            guard let name = row["name"] as? String, let range = nums(row["range"]), range.count == 2,
                  let best = num(row["best"]), let def = num(row["default"]) else { continue }
            for (label, v) in [("best", best), ("default", def)] {
                checks.append(Check(study: "A", check: "value inside its stated range", subject: "Table 1 \(name) \(label)",
                                    computed: "\(range[0]) ≤ \(v) ≤ \(range[1])", printed: "\(v)",
                                    consistent: v >= range[0] && v <= range[1]))
            }
        }
        // Study A, Tables 3–4: each column of percentages sums to 100.
        struct Block { var table: Int; var model: String; var quantity: String; var scenario: String; var values: [Double] }
        let blocks: [Block] = (a["tables"] as? [[String: Any]] ?? []).compactMap { r in
            guard let t = (r["table"] as? Int), let m = r["model"] as? String, let q = r["quantity"] as? String,
                  let v = nums(r["values"]) else { return nil }
            return Block(table: t, model: m, quantity: q, scenario: "\(r["scenario"] ?? "")", values: v)
        }
        for bl in blocks {
            let sum = bl.values.reduce(0, +)
            checks.append(Check(study: "A", check: "percentages sum to 100 (±\(f(percentTolerance)) for rounding)",
                                subject: "Table \(bl.table) \(bl.model) \(bl.quantity) \(bl.scenario)", computed: f(sum),
                                printed: bl.values.map { f($0) }.joined(separator: " "), consistent: abs(sum - 100) <= percentTolerance))
        }
        // Repeated blocks: the same five-number column printed for two different scenarios.
        for (i, x) in blocks.enumerated() {
            for y in blocks[(i + 1)...] where x.model == y.model && x.quantity == y.quantity && x.values == y.values
                && !(x.table == y.table && x.scenario == y.scenario) {
                let crossTable = x.table != y.table
                checks.append(Check(study: "A", check: "no column repeated under another scenario",
                                    subject: "\(x.model) \(x.quantity): Table \(x.table) \(x.scenario) = Table \(y.table) \(y.scenario)",
                                    computed: "identical columns", printed: x.values.map { f($0) }.joined(separator: " "),
                                    // UN is the COV 0.10 scenario by construction (METHODS.md A3); other repeats are not.
                                    consistent: crossTable && x.model == "PPM-CNN" && x.scenario == "0.10" && y.scenario == "UN"))
            }
        }
        // Frequency ratios from the two percentages (information: they must be computable).
        for bl in blocks where bl.quantity == "percent_landslides" {
            guard let area = blocks.first(where: { $0.table == bl.table && $0.model == bl.model && $0.scenario == bl.scenario
                && $0.quantity == "percent_area" }) else { continue }
            let fr = zip(bl.values, area.values).map { $1 > 0 ? $0 / $1 : .nan }
            let ordered = fr.last! >= fr.first!
            checks.append(Check(study: "A", check: "frequency ratio FR = %landslides / %area rises to class V",
                                subject: "Table \(bl.table) \(bl.model) \(bl.scenario)", computed: fr.map { f($0) }.joined(separator: " "),
                                printed: "—", consistent: ordered))
        }
        // "High + very high" share stated in the text vs Table 4.
        if let stated = a["high_and_very_high_percent_area"] as? [String: Any] {
            for (scenario, value) in stated.sorted(by: { $0.key < $1.key }) {
                guard let v = num(value), let col = blocks.first(where: { $0.table == 4 && $0.model == "PPM-CNN"
                    && $0.quantity == "percent_area" && $0.scenario == scenario }) else { continue }
                let sum = col.values[3] + col.values[4]
                checks.append(Check(study: "A", check: "text agrees with its table", subject: "high + very high area, PPM-CNN \(scenario)",
                                    computed: "\(f(col.values[3])) + \(f(col.values[4])) = \(f(sum))", printed: f(v, 1),
                                    consistent: abs(sum - v) <= 0.1))
            }
        }
        // Study B: F1 = 2PR / (P + R).
        for (model, any) in (b["metrics"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let m = any as? [String: Any], let p = num(m["precision"]), let r = num(m["recall"]), let f1 = num(m["f1"]) else { continue }
            let computed = 2 * p * r / (p + r)
            checks.append(Check(study: "B", check: "F1 follows from precision and recall (±0.0015 for rounding)",
                                subject: "\(model) F1", computed: f(computed, 4), printed: f(f1, 3),
                                consistent: abs(computed - f1) <= 0.0015))
        }
        // Study B, Table 2: every model classifies the same total area and the same landslides.
        let areas = (b["class_areas_km2"] as? [String: Any] ?? [:]).compactMapValues(nums)
        let counts = (b["class_landslides"] as? [String: Any] ?? [:]).compactMapValues(nums)
        if let ref = areas.values.first.map({ $0.reduce(0, +) }) {
            for (model, v) in areas.sorted(by: { $0.key < $1.key }) {
                checks.append(Check(study: "B", check: "class areas add up to the same study area in every model",
                                    subject: "\(model) total area (km²)", computed: f(v.reduce(0, +)), printed: f(ref),
                                    consistent: abs(v.reduce(0, +) - ref) <= 0.05))
            }
        }
        if let ref = counts.values.first.map({ $0.reduce(0, +) }) {
            for (model, v) in counts.sorted(by: { $0.key < $1.key }) {
                checks.append(Check(study: "B", check: "landslides per class add up to the same inventory in every model",
                                    subject: "\(model) landslides", computed: f(v.reduce(0, +), 0), printed: f(ref, 0),
                                    consistent: v.reduce(0, +) == ref))
            }
        }
        // Study B: CNN areas in the conclusions vs Table 2.
        if let c = b["conclusions_cnn_area_km2"] as? [String: Any], let t = areas["CNN"] {
            for (key, index) in [("very_low", 0), ("very_high", 4)] {
                guard let v = num(c[key]) else { continue }
                checks.append(Check(study: "B", check: "areas agree between sections", subject: "CNN \(key.replacingOccurrences(of: "_", with: " ")) area (km²): conclusions vs Table 2",
                                    computed: f(t[index]), printed: f(v), consistent: abs(t[index] - v) <= 0.05))
            }
        }
        return Report(source: path, checks: checks)
    }

    /// The report as text: inconsistencies first, then the checks that hold.
    public static func text(_ r: Report) -> String {
        var lines = ["Paper audit of \(r.source): \(r.checks.count) checks, \(r.inconsistencies) numbers that do not add up", ""]
        for (title, keep) in [("Inconsistent", false), ("Consistent", true)] {
            let rows = r.checks.filter { $0.consistent == keep }
            lines.append("\(title) (\(rows.count)):")
            for c in rows {
                lines.append("  [Study \(c.study)] \(c.subject): \(c.check) — computed \(c.computed); printed \(c.printed)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
