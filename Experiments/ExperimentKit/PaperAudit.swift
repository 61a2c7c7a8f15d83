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
        /// Per check: how many times it ran and how many findings it made.
        public var byCheck: [CheckCount] {
            AuditCheck.allCases.map { kind in
                let rows = checks.filter { $0.check == kind.rawValue }
                return CheckCount(check: kind.rawValue, checked: rows.count, findings: rows.filter { !$0.consistent }.count)
            }
        }

        public init(source: String, checks: [Check]) { self.source = source; self.checks = checks }

        enum CodingKeys: String, CodingKey { case source, checks, byCheck = "by_check", inconsistencies }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source); try c.encode(checks, forKey: .checks)
            try c.encode(byCheck, forKey: .byCheck); try c.encode(inconsistencies, forKey: .inconsistencies)
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decode(String.self, forKey: .source); checks = try c.decode([Check].self, forKey: .checks)
        }
    }

    public struct CheckCount: Codable, Sendable, Equatable {
        public var check: String
        public var checked: Int
        public var findings: Int
    }

    public enum AuditError: Error, CustomStringConvertible {
        case malformed(String, String)
        public var description: String {
            switch self { case let .malformed(file, what): "\(file): \(what)" }
        }
    }

    /// The audit of `published` (the numbers) and, when given, the papers' texts in `papers`
    /// (`study-a-*.txt`, `study-b-*.txt`) for cross-references.
    public static func run(published path: String, papers: String? = nil) throws -> Report {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let root = try Yams.load(yaml: text) as? [String: Any],
              let a = root["study_a"] as? [String: Any], let b = root["study_b"] as? [String: Any] else {
            throw AuditError.malformed(path, "expected study_a and study_b mappings")
        }
        var checks: [Check] = []
        checks += studyA(a)
        checks += studyB(b)
        if let papers, let files = try? FileManager.default.contentsOfDirectory(atPath: papers) {
            for (study, prefix) in [("A", "study-a"), ("B", "study-b")] {
                guard let file = files.sorted().first(where: { $0.hasPrefix(prefix) && $0.hasSuffix(".txt") }),
                      let paper = try? String(contentsOfFile: (papers as NSString).appendingPathComponent(file), encoding: .utf8) else { continue }
                checks += crossReferences(study, text: paper)
            }
        }
        return Report(source: path, checks: checks)
    }

    static func num(_ v: Any?) -> Double? { (v as? Double) ?? (v as? Int).map(Double.init) }
    static func nums(_ v: Any?) -> [Double]? { (v as? [Any])?.compactMap(num) }
    static func strings(_ v: Any?) -> [String] { (v as? [Any])?.map { "\($0)" } ?? [] }

    static func columns(_ a: [String: Any]) -> [PrintedColumn] {
        (a["tables"] as? [[String: Any]] ?? []).compactMap { r in
            guard let t = r["table"] as? Int, let m = r["model"] as? String, let q = r["quantity"] as? String,
                  let v = nums(r["values"]) else { return nil }
            return PrintedColumn(table: t, model: m, quantity: q, scenario: "\(r["scenario"] ?? "")", values: v)
        }
    }

    static func studyA(_ a: [String: Any]) -> [Check] {
        var checks: [Check] = []
        // Table 1: each best and default inside its own search range.
        for row in a["table1_hyperparameters"] as? [[String: Any]] ?? [] {
            guard let name = row["name"] as? String, let range = nums(row["range"]), range.count == 2,
                  let best = num(row["best"]), let def = num(row["default"]) else { continue }
            for (label, v) in [("best", best), ("default", def)] {
                checks.append(valueInsideRange("A", subject: "Table 1 \(name) \(label)", range: range, value: v))
            }
        }
        // Table 2: units and values plausible for each parameter.
        let units = a["table2_units"] as? [String: Any] ?? [:]
        for (name, value) in (a["table2_means"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let v = num(value), let unit = units[name] as? String, let c = parameterUnit("A", name: name, value: v, unit: unit) {
                checks.append(c)
            }
        }
        let cols = columns(a)
        for c in cols {
            checks.append(percentagesSumTo100("A", subject: "Table \(c.table) \(c.model) \(c.quantity) \(c.scenario)", values: c.values))
        }
        checks += repeatedColumns("A", cols)
        for c in cols where c.quantity == "percent_landslides" {
            guard let area = cols.first(where: { $0.table == c.table && $0.model == c.model && $0.scenario == c.scenario
                && $0.quantity == "percent_area" }) else { continue }
            checks.append(frequencyRatioRises("A", subject: "Table \(c.table) \(c.model) \(c.scenario)", landslides: c.values, area: area.values))
        }
        // The PPM's POF > 0.5 classes across the COV sweep (Table 3, normal marginals).
        for q in ["percent_area", "percent_landslides"] {
            if let c = invariantUnderCOV("A", quantity: q, columns: cols.filter { $0.table == 3 && $0.model == "PPM" && $0.quantity == q }) {
                checks.append(c)
            }
        }
        // "High + very high" share stated in the text vs Table 4.
        if let stated = a["high_and_very_high_percent_area"] as? [String: Any] {
            for (scenario, value) in stated.sorted(by: { $0.key < $1.key }) {
                guard let v = num(value), let col = cols.first(where: { $0.table == 4 && $0.model == "PPM-CNN"
                    && $0.quantity == "percent_area" && $0.scenario == scenario }) else { continue }
                let sum = col.values[3] + col.values[4]
                checks.append(check("A", .statementAgreesWithTable, "high + very high area, PPM-CNN \(scenario) (Sect. 4.4.2)",
                                    computed: "Table 4: \(f(col.values[3])) + \(f(col.values[4])) = \(f(sum))", printed: "text: \(f(v, 1))",
                                    abs(sum - v) <= 0.05 + roundingTolerance(2, decimals: 2)))
            }
        }
        for s in a["statements"] as? [[String: Any]] ?? [] { checks += statementA(s, cols) }
        return checks
    }

    /// A Table 3–4 quantity summed over classes (frequency ratio: of a single class).
    static func tableValue(_ cols: [PrintedColumn], table: Int, model: String, quantity: String, scenario: String,
                           classes: [Int]) -> Double? {
        func column(_ q: String) -> [Double]? {
            cols.first { $0.table == table && $0.model == model && $0.quantity == q && $0.scenario == scenario }?.values
        }
        if quantity == "frequency_ratio" {
            guard let l = column("percent_landslides"), let a = column("percent_area"), classes.count == 1 else { return nil }
            return frequencyRatios(landslides: l, area: a)[classes[0] - 1]
        }
        guard let v = column(quantity) else { return nil }
        return classes.map { v[$0 - 1] }.reduce(0, +)
    }

    /// One statement of Study A's text against Tables 3–4.
    static func statementA(_ s: [String: Any], _ cols: [PrintedColumn]) -> [Check] {
        let quote = "“\(s["quote"] as? String ?? "")” (\(s["where"] as? String ?? ""))"
        let table = s["table"] as? Int ?? 0, quantity = s["quantity"] as? String ?? "", model = s["model"] as? String ?? ""
        let classes = (nums(s["classes"]) ?? []).map { Int($0) }
        let classLabel = classes.map { ["I", "II", "III", "IV", "V"][$0 - 1] }.joined(separator: "+")
        func value(_ model: String, _ scenario: String, _ classes: [Int]) -> Double? {
            tableValue(cols, table: table, model: model, quantity: quantity, scenario: scenario, classes: classes)
        }
        let label = "Table \(table) \(model) \(quantity) \(classLabel)"
        switch s["kind"] as? String {
        case "monotone", "rise_then_fall":
            let series: [(String, Double)]
            if let across = s["across_classes"] {
                let scenario = "\(s["scenario"] ?? "")"
                series = (nums(across) ?? []).compactMap { c in value(model, scenario, [Int(c)]).map { ("class \(Int(c))", $0) } }
            } else {
                series = strings(s["across"]).compactMap { sc in value(model, sc, classes).map { (sc, $0) } }
            }
            guard series.count > 1 else { return [] }
            let v = series.map(\.1)
            let steps = zip(v, v.dropFirst()).map { $1 - $0 }
            let holds: Bool
            let expected: String
            if s["kind"] as? String == "rise_then_fall" {
                let peak = v.firstIndex(of: v.max()!)!
                holds = peak > 0 && peak < v.count - 1 && steps[..<peak].allSatisfy { $0 > 0 } && steps[peak...].allSatisfy { $0 < 0 }
                expected = "rises then falls"
            } else {
                let up = s["direction"] as? String == "increasing"
                holds = steps.allSatisfy { up ? $0 > 0 : $0 < 0 }
                expected = up ? "increases at every step" : "decreases at every step"
            }
            return [check("A", .statementAgreesWithTable, quote, computed: "\(label): " + series.map { "\($0.0) \(f($0.1))" }.joined(separator: ", "),
                          printed: "text: \(expected)", holds)]
        case "equals":
            let scenario = "\(s["scenario"] ?? "")", decimals = s["decimals"] as? Int ?? 2
            guard let v = value(model, scenario, classes) else { return [] }
            let stated = nums(s["values"]) ?? []
            let holds = stated.contains { abs(v - $0) <= roundingTolerance(1, decimals: decimals) + roundingTolerance(classes.count, decimals: 2) }
            let others = (1...5).compactMap { c in value(model, scenario, [c]).map { "\(["I", "II", "III", "IV", "V"][c - 1]) \(f($0))" } }
            return [check("A", .statementAgreesWithTable, quote, computed: "\(label) \(scenario) = \(f(v)) (all classes: \(others.joined(separator: ", ")))",
                          printed: "text: " + stated.map { f($0, decimals) }.joined(separator: " or "), holds)]
        case "ratio_at_least":
            let factor = num(s["factor"]) ?? 1, reference = s["reference_class"] as? Int ?? 1
            var out: [Check] = []
            for m in Array(Set(cols.filter { $0.table == table }.map(\.model))).sorted() {
                for sc in strings(s["across"]) {
                    guard let r = value(m, sc, [reference]) else { continue }
                    let ratios = classes.compactMap { c in value(m, sc, [c]).map { (c, $0 / r) } }
                    out.append(check("A", .statementAgreesWithTable, quote,
                                     computed: "Table \(table) \(m) \(sc): FR(I) = \(f(r)); " + ratios.map { "FR(\($0.0))/FR(I) = \(f($0.1, 1))" }.joined(separator: ", "),
                                     printed: "text: more than \(f(factor, 0)) times", ratios.allSatisfy { $0.1 > factor }))
                }
            }
            return out
        case "less_than":
            return (s["pairs"] as? [[Any]] ?? []).compactMap { pair in
                let (x, y) = ("\(pair[0])", "\(pair[1])")
                guard let vx = value(model, x, classes), let vy = value(model, y, classes) else { return nil }
                return check("A", .statementAgreesWithTable, quote, computed: "\(label): \(x) \(f(vx)) vs \(y) \(f(vy))",
                             printed: "text: \(x) < \(y)", vx < vy)
            }
        default:
            return []
        }
    }

    static func studyB(_ b: [String: Any]) -> [Check] {
        var checks: [Check] = []
        let metrics = (b["metrics"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }).compactMap { model, any -> PrintedMetrics? in
            guard let m = any as? [String: Any] else { return nil }
            return PrintedMetrics(model: model, values: m.compactMapValues(num))
        }
        // Balanced classes: 1:1 negatives (the text's 724 non-landslide points for 724 landslides).
        for m in metrics {
            if let c = f1FromPrecisionRecall("B", m) { checks.append(c) }
            if let c = accuracyFromPrecisionRecall("B", m, positiveShare: 0.5) { checks.append(c) }
        }
        let areas = (b["class_areas_km2"] as? [String: Any] ?? [:]).compactMapValues(nums).sorted { $0.key < $1.key }
        let counts = (b["class_landslides"] as? [String: Any] ?? [:]).compactMapValues(nums).sorted { $0.key < $1.key }
        checks += totalsAgree("B", what: "total area (km²)", totals: areas.map { ($0.key, $0.value.reduce(0, +)) }, tolerance: 0.05, decimals: 2)
        checks += totalsAgree("B", what: "landslides", totals: counts.map { ($0.key, $0.value.reduce(0, +)) }, tolerance: 0, decimals: 0)
        if let c = b["conclusions_cnn_area_km2"] as? [String: Any], let t = areas.first(where: { $0.key == "CNN" })?.value {
            for (key, index) in [("very_low", 0), ("low", 1), ("medium", 2), ("high", 3), ("very_high", 4)] {
                guard let v = num(c[key]) else { continue }
                checks.append(areaAgreesBetweenSections("B", subject: "CNN \(key.replacingOccurrences(of: "_", with: " ")) area (km²): Table 2 vs conclusions",
                                                        table: t[index], elsewhere: v, tolerance: 0.05))
            }
        }
        // Table 1.
        let tables = (b["table1"] as? [[String: Any]] ?? []).compactMap { r -> FactorTable? in
            guard let name = r["factor"] as? String, let rows = r["classes"] as? [[Any]] else { return nil }
            return FactorTable(factor: name, unit: r["unit"] as? String ?? "", classes: rows.compactMap { nums($0) }.filter { $0.count == 7 }.map(FactorClass.init))
        }
        let inventory = counts.first.map { $0.value.reduce(0, +) }
        let cell = num(b["dem_cell_m"]) ?? 30
        for t in tables {
            checks.append(percentagesSumTo100("B", subject: "Table 1 \(t.factor) % area", values: t.classes.map(\.percentArea)))
            checks.append(percentagesSumTo100("B", subject: "Table 1 \(t.factor) % landslides", values: t.classes.map(\.percentLandslides)))
            checks += sharesFromCounts("B", t, inventory: inventory)
            checks += informationValues("B", t)
            checks += rangesAndUnits("B", t, cellMeters: cell)
        }
        // Areas: the DEM's cells against Table 2's total and the stated basin area; cell totals across factors.
        if let dem = tables.first(where: { $0.factor == "elevation" }) {
            let cells = dem.classes.map(\.cells).reduce(0, +)
            if let total = areas.first.map({ $0.value.reduce(0, +) }) {
                checks.append(areaFromCells("B", subject: "Table 1 DEM cells vs Table 2 total area", cells: cells, cellMeters: cell, areaKm2: total))
            }
            if let basin = num(b["basin_area_km2"]) {
                checks.append(areaFromCells("B", subject: "Table 1 DEM cells vs the basin area of the text", cells: cells, cellMeters: cell, areaKm2: basin))
            }
            for t in tables where t.factor != "elevation" {
                let n = t.classes.map(\.cells).reduce(0, +)
                checks.append(check("B", .areaFromCellCounts, "Table 1 \(t.factor) cells vs the DEM's",
                                    computed: "\(f(n, 0)) cells (\(f(100 * n / cells, 2)) % of the DEM's)", printed: "DEM: \(f(cells, 0)) cells at \(f(cell, 0)) m",
                                    abs(n - cells) <= 0.001 * cells))
            }
        }
        if let basin = num(b["basin_area_km2"]), let total = areas.first.map({ $0.value.reduce(0, +) }) {
            checks.append(areaAgreesBetweenSections("B", subject: "total area (km²): Table 2 vs the study area of the text",
                                                    table: total, elsewhere: basin, tolerance: 0.01 * basin))
        }
        if let points = num(b["non_landslide_points"]), let inventory {
            checks.append(check("B", .statementAgreesWithTable, "“select 724 non-landslide points” (1:1 with the landslides of Table 2)",
                                computed: "Table 2 landslides: \(f(inventory, 0))", printed: "text: \(f(points, 0))", points == inventory))
        }
        for s in b["statements"] as? [[String: Any]] ?? [] { checks += statementB(s, metrics: metrics, counts: Dictionary(uniqueKeysWithValues: counts), b: b) }
        return checks
    }

    static func statementB(_ s: [String: Any], metrics: [PrintedMetrics], counts: [String: [Double]], b: [String: Any]) -> [Check] {
        let quote = "“\(s["quote"] as? String ?? "")” (\(s["where"] as? String ?? ""))"
        switch s["kind"] as? String {
        case "share_of_total":
            guard let model = s["model"] as? String, let k = s["class"] as? Int, let count = num(s["count"]), let pct = num(s["percent"]),
                  let column = counts[model] else { return [] }
            let total = column.reduce(0, +), share = 100 * column[k - 1] / total
            return [check("B", .statementAgreesWithTable, quote, computed: "Table 2 \(model) class \(k): \(f(column[k - 1], 0)) of \(f(total, 0)) = \(f(share, 3)) %",
                          printed: "text: \(f(count, 0)) = \(f(pct)) %", column[k - 1] == count && abs(share - pct) <= 0.005 + 1e-9)]
        case "all_above":
            let threshold = num(s["threshold"]) ?? 0, fields = strings(s["fields"])
            let values = metrics.flatMap { m in fields.compactMap { k in m.values[k].map { ("\(m.model) \(k)", $0) } } }
            return [check("B", .statementAgreesWithTable, quote, computed: values.map { "\($0.0) \(f($0.1, 3))" }.joined(separator: ", "),
                          printed: "text: all > \(threshold)", values.allSatisfy { $0.1 > threshold })]
        case "greatest":
            let item = s["item"] as? String ?? ""
            let values: [(String, Double)] = s["among"] as? String == "sampler_auc"
                ? (b["sampler_auc"] as? [String: Any] ?? [:]).compactMap { k, v in num(v).map { (k, $0) } }.sorted { $0.0 < $1.0 }
                : metrics.compactMap { m in m.values["auc"].map { (m.model, $0) } }
            guard let mine = values.first(where: { $0.0 == item })?.1 else { return [] }
            return [check("B", .statementAgreesWithTable, quote, computed: values.map { "\($0.0) \(f($0.1, 3))" }.joined(separator: ", "),
                          printed: "text: \(item) highest", values.allSatisfy { $0.0 == item || $0.1 < mine })]
        default:
            return []
        }
    }

    /// The report as text: inconsistencies first, then the checks that hold.
    public static func text(_ r: Report) -> String {
        var lines = ["Paper audit of \(r.source): \(r.checks.count) checks, \(r.inconsistencies) findings", "",
                     "By check (checked / findings):"]
        for c in r.byCheck { lines.append("  \(String(c.checked).leftPadded(5)) / \(String(c.findings).leftPadded(3))  \(c.check)") }
        lines.append("")
        for (title, keep) in [("Findings", false), ("Consistent", true)] {
            let rows = r.checks.filter { $0.consistent == keep }
            lines.append("\(title) (\(rows.count)):")
            for c in rows {
                lines.append("  [Study \(c.study)] [\(c.check)] \(c.subject) — computed \(c.computed); printed \(c.printed)")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
