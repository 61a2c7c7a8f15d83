import Foundation

/// The paper audit's checks, one function each over small typed inputs, so that each can be tried on a
/// hand-made table where it must fire and on one where it must not (PaperAuditTests).
public enum AuditCheck: String, CaseIterable, Codable, Sendable {
    case valueInsideRange = "value inside its stated range"
    case percentagesSumTo100 = "percentages sum to 100"
    case noRepeatedColumn = "no column repeated under another scenario"
    case frequencyRatioRises = "frequency ratio rises to class V"
    case f1FromPrecisionRecall = "F1 follows from precision and recall"
    case accuracyFromPrecisionRecall = "accuracy follows from precision and recall at the stated class balance"
    case totalsAgreeAcrossModels = "every model classifies the same area and landslides"
    case areasAgreeBetweenSections = "areas agree between sections"
    case areaFromCellCounts = "areas agree with cell counts × cell size"
    case sharesFromCounts = "shares follow from their counts"
    case informationValueFromCounts = "information value follows from the counts"
    case rangesAndUnits = "value ranges and units are plausible for the factor"
    case crossReferences = "every table and figure cited exists"
    case statementAgreesWithTable = "a statement of the text agrees with its table"
    case invariantUnderCOV = "POF > 0.5 classes unchanged by the COV (normal marginals)"
}

/// One printed column of Study A's Tables 3–4: five values, classes I..V.
public struct PrintedColumn: Sendable, Equatable {
    public var table: Int
    public var model: String
    public var quantity: String
    public var scenario: String
    public var values: [Double]
    public init(table: Int, model: String, quantity: String, scenario: String, values: [Double]) {
        self.table = table; self.model = model; self.quantity = quantity; self.scenario = scenario; self.values = values
    }
}

/// One class row of a factor table (Study B's Table 1).
public struct FactorClass: Sendable, Equatable {
    public var lower: Double, upper: Double, cells: Double, percentArea: Double, landslides: Double, percentLandslides: Double
    public var informationValue: Double
    public init(_ r: [Double]) {
        (lower, upper, cells, percentArea, landslides, percentLandslides, informationValue) = (r[0], r[1], r[2], r[3], r[4], r[5], r[6])
    }
}

public struct FactorTable: Sendable, Equatable {
    public var factor: String
    public var unit: String
    public var classes: [FactorClass]
    public init(factor: String, unit: String, classes: [FactorClass]) { self.factor = factor; self.unit = unit; self.classes = classes }
}

/// A model's printed metrics.
public struct PrintedMetrics: Sendable, Equatable {
    public var model: String
    public var values: [String: Double]
    public init(model: String, values: [String: Double]) { self.model = model; self.values = values }
}

extension PaperAudit {
    static func f(_ x: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", x) }
    static func list(_ v: [Double], _ d: Int = 2) -> String { v.map { f($0, d) }.joined(separator: " ") }

    /// Tolerance of a sum of `n` numbers printed with `decimals` decimals (half a unit each).
    static func roundingTolerance(_ n: Int, decimals: Int) -> Double { Double(n) * 0.5 * pow(10, -Double(decimals)) + 1e-9 }

    static func check(_ study: String, _ kind: AuditCheck, _ subject: String, computed: String, printed: String,
                      _ consistent: Bool) -> Check {
        Check(study: study, check: kind.rawValue, subject: subject, computed: computed, printed: printed, consistent: consistent)
    }

    // MARK: - The checks

    static func valueInsideRange(_ study: String, subject: String, range: [Double], value: Double) -> Check {
        check(study, .valueInsideRange, subject, computed: "\(range[0]) ≤ \(value) ≤ \(range[1])", printed: "\(value)",
              value >= range[0] && value <= range[1])
    }

    static func percentagesSumTo100(_ study: String, subject: String, values: [Double], decimals: Int = 2) -> Check {
        let sum = values.reduce(0, +), tolerance = roundingTolerance(values.count, decimals: decimals)
        return check(study, .percentagesSumTo100, subject, computed: "Σ = \(f(sum)) (±\(f(tolerance, 3)) for rounding)",
                     printed: list(values), abs(sum - 100) <= tolerance)
    }

    /// The same five numbers printed for two different scenarios or tables.
    static func repeatedColumns(_ study: String, _ columns: [PrintedColumn]) -> [Check] {
        var out: [Check] = []
        for (i, x) in columns.enumerated() {
            for y in columns[(i + 1)...] where x.model == y.model && x.quantity == y.quantity && x.values == y.values {
                out.append(check(study, .noRepeatedColumn,
                                 "\(x.model) \(x.quantity): Table \(x.table) \(x.scenario) = Table \(y.table) \(y.scenario)",
                                 computed: "identical columns for different scenarios", printed: list(x.values), false))
            }
        }
        return out
    }

    static func frequencyRatios(landslides: [Double], area: [Double]) -> [Double] {
        zip(landslides, area).map { $1 > 0 ? $0 / $1 : .nan }
    }

    static func frequencyRatioRises(_ study: String, subject: String, landslides: [Double], area: [Double]) -> Check {
        let fr = frequencyRatios(landslides: landslides, area: area)
        return check(study, .frequencyRatioRises, subject, computed: "FR " + list(fr), printed: "% landslides \(list(landslides)); % area \(list(area))",
                     fr.last! >= fr.first!)
    }

    /// F1 = 2PR/(P + R), with P and R printed to 3 decimals.
    static func f1FromPrecisionRecall(_ study: String, _ m: PrintedMetrics) -> Check? {
        guard let p = m.values["precision"], let r = m.values["recall"], let f1 = m.values["f1"] else { return nil }
        let (lo, hi) = bounds(p, r) { 2 * $0 * $1 / ($0 + $1) }
        return check(study, .f1FromPrecisionRecall, "\(m.model) F1", computed: "2PR/(P+R) = \(f(2 * p * r / (p + r), 4)) (\(f(lo, 4))–\(f(hi, 4)) within rounding)",
                     printed: "P \(f(p, 3)), R \(f(r, 3)), F1 \(f(f1, 3))", f1 + 0.0005 >= lo && f1 - 0.0005 <= hi)
    }

    /// With a share π of positives, accuracy = π R + (1 − π)(1 − FPR) and FP = TP (1 − P)/P, so
    /// accuracy = π R + (1 − π) − π R (1 − P)/P.
    static func accuracyFromPrecisionRecall(_ study: String, _ m: PrintedMetrics, positiveShare pi: Double) -> Check? {
        guard let p = m.values["precision"], let r = m.values["recall"], let a = m.values["accuracy"] else { return nil }
        let formula = { (p: Double, r: Double) in pi * r + (1 - pi) - pi * r * (1 - p) / p }
        let (lo, hi) = bounds(p, r, formula)
        return check(study, .accuracyFromPrecisionRecall, "\(m.model) accuracy (positives \(f(100 * pi, 0)) %)",
                     computed: "πR + (1−π) − πR(1−P)/P = \(f(formula(p, r), 4)) (\(f(lo, 4))–\(f(hi, 4)) within rounding)",
                     printed: "P \(f(p, 3)), R \(f(r, 3)), accuracy \(f(a, 3))", a + 0.0005 >= lo && a - 0.0005 <= hi)
    }

    /// The range of `g` over P and R each ± half a unit of their third decimal.
    static func bounds(_ p: Double, _ r: Double, _ g: (Double, Double) -> Double) -> (Double, Double) {
        let values = [-0.0005, 0.0005].flatMap { dp in [-0.0005, 0.0005].map { dr in g(p + dp, r + dr) } }
        return (values.min()!, values.max()!)
    }

    static func totalsAgree(_ study: String, what: String, totals: [(String, Double)], tolerance: Double, decimals: Int) -> [Check] {
        guard let reference = totals.first else { return [] }
        return totals.map { model, total in
            check(study, .totalsAgreeAcrossModels, "\(model) \(what)", computed: f(total, decimals),
                  printed: "\(reference.0): \(f(reference.1, decimals))", abs(total - reference.1) <= tolerance)
        }
    }

    static func areaAgreesBetweenSections(_ study: String, subject: String, table: Double, elsewhere: Double, tolerance: Double) -> Check {
        check(study, .areasAgreeBetweenSections, subject, computed: "table: \(f(table))", printed: "elsewhere: \(f(elsewhere))",
              abs(table - elsewhere) <= tolerance)
    }

    /// An area printed in km² against `cells` × cell² (relative tolerance `relative`).
    static func areaFromCells(_ study: String, subject: String, cells: Double, cellMeters: Double, areaKm2: Double,
                              relative: Double = 0.02) -> Check {
        let computed = cells * cellMeters * cellMeters / 1e6
        return check(study, .areaFromCellCounts, subject,
                     computed: "\(f(cells, 0)) cells × (\(f(cellMeters, 0)) m)² = \(f(computed, 1)) km²",
                     printed: "\(f(areaKm2, 1)) km² (±\(f(100 * relative, 0)) %)", abs(computed - areaKm2) <= relative * areaKm2)
    }

    /// Each class's printed % area and % landslides against its counts (2 decimals); the landslide
    /// counts against the inventory when given.
    static func sharesFromCounts(_ study: String, _ t: FactorTable, inventory: Double?) -> [Check] {
        var out: [Check] = []
        let cells = t.classes.map(\.cells).reduce(0, +), slides = t.classes.map(\.landslides).reduce(0, +)
        if let inventory {
            out.append(check(study, .sharesFromCounts, "\(t.factor): landslides over its classes", computed: "Σ = \(f(slides, 0))",
                             printed: "inventory \(f(inventory, 0))", slides == inventory))
        }
        for (j, c) in t.classes.enumerated() {
            let area = 100 * c.cells / cells, share = slides > 0 ? 100 * c.landslides / slides : 0
            let tolerance = roundingTolerance(1, decimals: 2) + 1e-6
            out.append(check(study, .sharesFromCounts, "\(t.factor) class \(j + 1) % area", computed: "\(f(c.cells, 0)) / \(f(cells, 0)) = \(f(area, 3)) %",
                             printed: f(c.percentArea), abs(area - c.percentArea) <= tolerance))
            out.append(check(study, .sharesFromCounts, "\(t.factor) class \(j + 1) % landslides",
                             computed: "\(f(c.landslides, 0)) / \(f(slides, 0)) = \(f(share, 3)) %", printed: f(c.percentLandslides),
                             abs(share - c.percentLandslides) <= tolerance))
        }
        return out
    }

    /// I = ln((N_ij/N)/(S_ij/S)) from the counts, against the printed value (3 decimals). A class with no
    /// landslide has I = −∞; a printed 0 there says "average", which the counts contradict.
    static func informationValues(_ study: String, _ t: FactorTable) -> [Check] {
        let cells = t.classes.map(\.cells).reduce(0, +), slides = t.classes.map(\.landslides).reduce(0, +)
        return t.classes.enumerated().map { j, c in
            let subject = "\(t.factor) class \(j + 1) information value"
            guard c.landslides > 0 else {
                return check(study, .informationValueFromCounts, subject, computed: "ln(0 / \(f(c.cells / cells, 6))) = −∞ (no landslide)",
                             printed: f(c.informationValue, 3), false)
            }
            let iv = log((c.landslides / slides) / (c.cells / cells))
            return check(study, .informationValueFromCounts, subject,
                         computed: "ln((\(f(c.landslides, 0))/\(f(slides, 0))) / (\(f(c.cells, 0))/\(f(cells, 0)))) = \(f(iv, 4))",
                         printed: f(c.informationValue, 3), abs(iv - c.informationValue) <= 0.0015)
        }
    }

    /// A factor's physical range and unit, by what the factor is; and classes that do not overlap.
    static func rangesAndUnits(_ study: String, _ t: FactorTable, cellMeters: Double) -> [Check] {
        var out: [Check] = []
        let lo = t.classes.map(\.lower).min() ?? 0, hi = t.classes.map(\.upper).max() ?? 0
        let rule: (range: ClosedRange<Double>, unit: String?)? = switch t.factor {
        case "slope": (0...90, "°")
        case "ndvi": (-1...1, "")
        case "temperature": (-60...60, "°")
        case "precipitation": (0...15_000, "mm")
        case "elevation": (-430...8_849, "m")
        case "roughness": (1...1e6, "")          // surface area / planar area: a ratio ≥ 1
        case "elevation_cov": (0...1e6, "")
        case "stream_distance", "road_distance", "fault_distance": (0...1e7, "m")
        default: nil
        }
        if let rule {
            out.append(check(study, .rangesAndUnits, "\(t.factor) value range", computed: "plausible \(f(rule.range.lowerBound, 0))…\(f(rule.range.upperBound, 0))",
                             printed: "\(f(lo, 3))…\(f(hi, 3))", rule.range.contains(lo) && rule.range.contains(hi)))
            if let unit = rule.unit {
                out.append(check(study, .rangesAndUnits, "\(t.factor) unit", computed: unit.isEmpty ? "dimensionless" : unit,
                                 printed: t.unit.isEmpty ? "dimensionless" : t.unit, unit == t.unit))
            }
        }
        if t.factor.hasSuffix("_distance") {
            // Distances over a basin of DEM cells reach at least one cell.
            out.append(check(study, .rangesAndUnits, "\(t.factor) reaches one DEM cell", computed: "≥ \(f(cellMeters, 0)) m",
                             printed: "\(f(hi, 3)) \(t.unit)", hi >= cellMeters))
        }
        for (j, (a, b)) in zip(t.classes, t.classes.dropFirst()).enumerated() where a.upper > b.lower || a.lower > a.upper {
            out.append(check(study, .rangesAndUnits, "\(t.factor) classes \(j + 1)–\(j + 2) overlap",
                             computed: "class \(j + 1) ends at \(a.upper)", printed: "class \(j + 2) starts at \(b.lower)", false))
        }
        return out
    }

    /// A parameter's printed unit and value: plausible for what it is.
    static func parameterUnit(_ study: String, name: String, value: Double, unit: String) -> Check? {
        let plausible: ClosedRange<Double>? = switch (name, unit) {
        case ("unit_weight_kN_m3", "kg/m³"): 1_000...3_000
        case ("unit_weight_kN_m3", "kN/m³"): 10...30
        case ("cohesion_kPa", "kPa"): 0...500
        case ("friction_angle_deg", "°"): 0...60
        case ("porosity", "-"), ("final_saturation", "-"), ("initial_saturation", "-"): 0...1
        case ("ks_m_per_s", "m/s"): 1e-10...1e-2
        default: nil
        }
        guard let plausible else { return nil }
        return check(study, .rangesAndUnits, "Table 2 \(name)", computed: "plausible in \(unit): \(plausible.lowerBound)…\(plausible.upperBound)",
                     printed: "\(value) \(unit)", plausible.contains(value))
    }

    /// Every "Fig. N" and "Table N" the text cites has a caption in it.
    static func crossReferences(_ study: String, text: String) -> [Check] {
        func numbers(_ pattern: String) -> Set<Int> {
            let regex = try! NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
            return Set(regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Int((text as NSString).substring(with: $0.range(at: 1)))
            })
        }
        var out: [Check] = []
        for (kind, cited, captioned) in [("Fig.", numbers(#"\bFigs?\.?\s?(\d+)"#), numbers(#"^Fig\.?\s?(\d+)\."#)),
                                         ("Table", numbers(#"\bTables?\s?(\d+)"#), numbers(#"^Table\s?(\d+)(?:\.|$|[A-Z])"#))] {
            let top = captioned.max() ?? 0
            for n in cited.sorted() {
                let ok = captioned.contains(n)
                out.append(check(study, .crossReferences, "\(kind) \(n) cited",
                                 computed: ok ? "captioned" : n > top ? "no \(kind) \(n): the text's are numbered up to \(top)"
                                                                    : "no caption for \(kind) \(n) in the text",
                                 printed: "captions: \(captioned.sorted().map(String.init).joined(separator: ", "))", ok))
            }
        }
        return out
    }

    /// The POF > 0.5 classes (IV + V) of a PPM hold the same area and landslides at every COV when the
    /// marginals are normal (POF < 0.5 ⇔ FOS at the means > 1).
    static func invariantUnderCOV(_ study: String, quantity: String, columns: [PrintedColumn]) -> Check? {
        guard columns.count > 1 else { return nil }
        let sums = columns.map { $0.values[3] + $0.values[4] }
        let tolerance = roundingTolerance(2, decimals: 2)
        return check(study, .invariantUnderCOV, "Table \(columns[0].table) \(columns[0].model) classes IV + V \(quantity)",
                     computed: zip(columns, sums).map { "\($0.scenario): \(f($1))" }.joined(separator: ", "),
                     printed: columns.map { "\(f($0.values[3])) + \(f($0.values[4]))" }.joined(separator: "; "),
                     (sums.max()! - sums.min()!) <= tolerance)
    }
}
