import Foundation
import Randomness

/// One varied key: its levels (`KEY=V1,V2,…`) or a range (`KEY=lo:hi`, for a Latin hypercube).
public struct AblationFactor: Sendable, Equatable {
    public let key: AblationKey
    /// Normalised levels (empty for a range).
    public let levels: [String]
    public let range: ClosedRange<Double>?

    /// Parses `KEY=V1,V2,…` or `KEY=lo:hi` against the experiment's keys; every value is checked.
    public init(parsing text: String, experiment: String) throws {
        guard let eq = text.firstIndex(of: "=") else {
            throw AblationError("--vary \(text): expected KEY=V1,V2,… or KEY=lo:hi")
        }
        let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let values = String(text[text.index(after: eq)...])
        key = try AblationKeys.key(name, experiment: experiment)
        if values.contains(":") && !values.contains(",") {
            let ends = values.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard ends.count == 2 else { throw AblationError("\(name)=\(values): expected lo:hi") }
            switch key.type {
            case .real, .integer: break
            default: throw AblationError("\(name)=\(values): a range needs a numeric key; \(name) is \(key.type.description)")
            }
            let lo = try key.normalised(ends[0]), hi = try key.normalised(ends[1])
            guard let a = Double(lo), let b = Double(hi), a < b else { throw AblationError("\(name)=\(values): expected lo < hi") }
            levels = []
            range = a...b
        } else {
            let k = key
            let parsed = try values.split(separator: ",").map { try k.normalised(String($0)) }
            guard !parsed.isEmpty else { throw AblationError("\(name)=: give at least one value") }
            guard Set(parsed).count == parsed.count else { throw AblationError("\(name)=\(values): a value is repeated") }
            levels = parsed
            range = nil
        }
    }

    /// The value at position u ∈ [0, 1) of the factor (a level, or a point of the range in the key's type).
    func value(at u: Double) -> String {
        if let range {
            let x = range.lowerBound + u * (range.upperBound - range.lowerBound)
            if case let .integer(r, odd) = key.type {
                var k = Int(x.rounded())
                if odd && k % 2 == 0 {
                    // The nearer odd neighbour that lies in the key's range.
                    let down = k - 1, up = k + 1
                    k = (down >= r.lowerBound && (x - Double(down) <= Double(up) - x || up > r.upperBound)) ? down : up
                }
                return String(min(max(k, r.lowerBound), r.upperBound))
            }
            return String(x)
        }
        return levels[min(levels.count - 1, Int(u * Double(levels.count)))]
    }
}

/// A grid point: one value per varied key, in the order the keys were given.
public struct AblationPoint: Sendable, Equatable, Codable {
    public var values: [String: String]
    public var order: [String]
    /// "key=value, key=value".
    public var label: String { order.map { "\($0)=\(values[$0]!)" }.joined(separator: ", ") }
}

public enum AblationDesign {
    /// Every combination of the factors' levels, the first key varying slowest.
    public static func factorial(_ factors: [AblationFactor]) throws -> [AblationPoint] {
        if let f = factors.first(where: { $0.range != nil }) {
            throw AblationError("\(f.key.name) is a range: ranges need --design lhs --points K")
        }
        var points: [[String: String]] = [[:]]
        for f in factors {
            points = points.flatMap { p in f.levels.map { v in p.merging([f.key.name: v]) { $1 } } }
        }
        return points.map { AblationPoint(values: $0, order: factors.map(\.key.name)) }
    }

    /// One key at a time around a baseline (a screening design): the baseline point, then each key's
    /// other levels with every other key at its baseline. A key's baseline is its default where that is
    /// one of the levels given, else its first level. Returns the points and the baseline.
    public static func oneAtATime(_ factors: [AblationFactor]) throws -> (points: [AblationPoint], baseline: [String: String]) {
        if let f = factors.first(where: { $0.range != nil }) {
            throw AblationError("\(f.key.name) is a range: ranges need --design lhs --points K")
        }
        var baseline: [String: String] = [:]
        for f in factors {
            let byDefault = (try? f.key.normalised(f.key.defaultValue)).flatMap { f.levels.contains($0) ? $0 : nil }
            baseline[f.key.name] = byDefault ?? f.levels[0]
        }
        let order = factors.map(\.key.name)
        var points = [AblationPoint(values: baseline, order: order)]
        for f in factors {
            for level in f.levels where level != baseline[f.key.name] {
                points.append(AblationPoint(values: baseline.merging([f.key.name: level]) { $1 }, order: order))
            }
        }
        return (points, baseline)
    }

    /// A Latin hypercube of `count` points (McKay, Beckman & Conover 1979): each factor's range (or list of
    /// levels) cut into `count` equal strata, each stratum used once, in an order and at a position
    /// drawn from `seed`. Repeated points (a factor with few levels) are kept once.
    public static func latinHypercube(_ factors: [AblationFactor], count: Int, seed: UInt64) throws -> [AblationPoint] {
        guard count >= 2 else { throw AblationError("--points \(count): a Latin hypercube needs at least 2 points") }
        var g = SeededGenerator(seed: seed).split(0xAB1A7E)
        var columns: [[String]] = []
        for f in factors {
            var strata = Array(0..<count)
            for i in stride(from: count - 1, to: 0, by: -1) { strata.swapAt(i, Int(g.next() % UInt64(i + 1))) }
            columns.append(strata.map { f.value(at: (Double($0) + g.nextUnit()) / Double(count)) })
        }
        var seen = Set<[String]>()
        var points: [AblationPoint] = []
        for i in 0..<count {
            let row = columns.map { $0[i] }
            guard seen.insert(row).inserted else { continue }
            points.append(AblationPoint(values: Dictionary(uniqueKeysWithValues: zip(factors.map(\.key.name), row)),
                                        order: factors.map(\.key.name)))
        }
        return points
    }
}
