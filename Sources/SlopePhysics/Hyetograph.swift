import Foundation

/// A rainfall hyetograph: piecewise-constant intensity over consecutive steps.
///
/// Step k runs from `endHours[k−1]` (0 for the first) to `endHours[k]` at `intensityMillimetersPerHour[k]`.
public struct Hyetograph: Sendable, Equatable {
    public let endHours: [Double]
    public let intensityMillimetersPerHour: [Double]

    /// Validates: at least one step, strictly increasing end times > 0, intensities ≥ 0 and finite.
    public init(endHours: [Double], intensityMillimetersPerHour: [Double], source: String = "hyetograph") throws {
        guard !endHours.isEmpty, endHours.count == intensityMillimetersPerHour.count else {
            throw HyetographError(source: source, line: nil, problem: "no steps; expected rows of elapsed_h,intensity_mm_per_h")
        }
        var previous = 0.0
        for (k, t) in endHours.enumerated() {
            guard t.isFinite, t > previous else {
                throw HyetographError(source: source, line: nil,
                                      problem: "step \(k + 1) ends at \(t) h, not after \(previous) h; expected increasing times")
            }
            previous = t
        }
        for (k, i) in intensityMillimetersPerHour.enumerated() where !(i.isFinite && i >= 0) {
            throw HyetographError(source: source, line: nil, problem: "step \(k + 1) has intensity \(i); expected ≥ 0 mm/h")
        }
        self.endHours = endHours
        self.intensityMillimetersPerHour = intensityMillimetersPerHour
    }

    /// Constant intensity for `durationHours`, as one step.
    public static func constant(millimetersPerHour: Double, durationHours: Double) throws -> Hyetograph {
        try Hyetograph(endHours: [durationHours], intensityMillimetersPerHour: [millimetersPerHour])
    }

    /// Reads CSV with a header `elapsed_h,intensity_mm_per_h` (lines starting with # are comments).
    public static func read(csv path: String) throws -> Hyetograph {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw HyetographError(source: path, line: nil, problem: "cannot read the file")
        }
        return try read(csvText: text, source: path)
    }

    /// Parses hyetograph CSV text; `source` names it in errors.
    public static func read(csvText text: String, source path: String) throws -> Hyetograph {
        var times: [Double] = [], intensities: [Double] = []
        var sawHeader = false
        var previous = 0.0
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !sawHeader {
                guard fields == ["elapsed_h", "intensity_mm_per_h"] else {
                    throw HyetographError(source: path, line: number + 1,
                                          problem: "header '\(line)'; expected 'elapsed_h,intensity_mm_per_h'")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 2, let t = Double(fields[0]), let i = Double(fields[1]) else {
                throw HyetographError(source: path, line: number + 1, problem: "'\(line)'; expected two numbers")
            }
            guard t > previous else {
                throw HyetographError(source: path, line: number + 1,
                                      problem: "elapsed_h \(t) is not after \(previous); expected increasing times")
            }
            guard i >= 0, i.isFinite else {
                throw HyetographError(source: path, line: number + 1, problem: "intensity \(i); expected ≥ 0 mm/h")
            }
            previous = t
            times.append(t)
            intensities.append(i)
        }
        return try Hyetograph(endHours: times, intensityMillimetersPerHour: intensities, source: path)
    }

    /// The steps up to `hours` (the last one shortened), as (duration s, rain m/s).
    public func steps(until hours: Double? = nil) -> [(seconds: Double, metersPerSecond: Double)] {
        var out: [(Double, Double)] = []
        var start = 0.0
        for (t, i) in zip(endHours, intensityMillimetersPerHour) {
            let end = min(t, hours ?? t)
            if end > start { out.append(((end - start) * 3600, i / 1000 / 3600)) }
            start = t
            if let hours, t >= hours { break }
        }
        return out
    }

    /// Total rain (mm) up to `hours`.
    public func totalMillimeters(until hours: Double? = nil) -> Double {
        steps(until: hours).reduce(0) { $0 + $1.seconds * $1.metersPerSecond * 1000 }
    }
}

/// A hyetograph file or series that is not valid.
public struct HyetographError: Error, CustomStringConvertible, Sendable {
    public let source: String
    public let line: Int?
    public let problem: String
    public var description: String { (line.map { "\(source):\($0)" } ?? source) + ": " + problem }
}
