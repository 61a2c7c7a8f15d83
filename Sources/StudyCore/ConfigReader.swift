import Foundation
import Yams

/// A problem in a study configuration file: where it is and what is expected instead.
///
/// `description` is one line: `FILE:LINE: KEY: problem; expected …`.
public struct StudyConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The configuration file.
    public let file: String
    /// The 1-based line of the offending node, when known.
    public let line: Int?
    /// The dotted key path, e.g. `parameters.porosity.mean` (empty for the document itself).
    public let key: String
    /// What is wrong and what is expected.
    public let problem: String

    public init(file: String, line: Int?, key: String, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}

/// A YAML mapping being decoded: typed look-ups that know their key path and line, and a closed
/// set of allowed keys so that a misspelt key is an error rather than silently ignored.
struct ConfigMapping {
    let file: String
    let path: String
    let node: Node
    private let entries: [(key: String, value: Node)]

    /// Wraps `node`, which must be a mapping whose keys are all in `allowed`.
    init(_ node: Node, path: String, file: String, allowed: [String]) throws {
        self.file = file
        self.path = path
        self.node = node
        guard case let .mapping(mapping) = node else {
            throw StudyConfigError(file: file, line: node.mark?.line, key: path,
                                   problem: "expected a mapping of keys (\(allowed.joined(separator: ", ")))")
        }
        var entries: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                throw StudyConfigError(file: file, line: keyNode.mark?.line, key: path, problem: "keys must be text")
            }
            guard allowed.contains(key) else {
                throw StudyConfigError(
                    file: file, line: keyNode.mark?.line, key: ConfigMapping.join(path, key),
                    problem: "unknown key; allowed here: \(allowed.joined(separator: ", "))")
            }
            entries.append((key, value))
        }
        self.entries = entries
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func keyPath(_ key: String) -> String { ConfigMapping.join(path, key) }

    func error(_ key: String, _ problem: String) -> StudyConfigError {
        StudyConfigError(file: file, line: self[key]?.mark?.line ?? node.mark?.line, key: keyPath(key), problem: problem)
    }

    /// The node under `key`, if present.
    subscript(key: String) -> Node? { entries.first { $0.key == key }?.value }

    /// All keys present, in file order.
    var keys: [String] { entries.map(\.key) }

    func has(_ key: String) -> Bool { self[key] != nil }

    private func required(_ key: String, _ expected: String) throws -> Node {
        guard let value = self[key] else { throw error(key, "missing; expected \(expected)") }
        return value
    }

    func string(_ key: String) throws -> String {
        let node = try required(key, "text")
        guard case let .scalar(scalar) = node, !scalar.string.isEmpty else {
            throw error(key, "expected text")
        }
        return scalar.string
    }

    func optionalString(_ key: String) throws -> String? { has(key) ? try string(key) : nil }

    /// A number; `range` (with its wording) bounds it, e.g. `0 < x < 1`.
    func double(_ key: String, _ range: NumberRange = .any) throws -> Double {
        let node = try required(key, "a number \(range.wording)")
        guard case let .scalar(scalar) = node,
              let value = Double(scalar.string.replacingOccurrences(of: "_", with: "")), value.isFinite else {
            throw error(key, "'\(node.string ?? "?")' is not a number; expected a number \(range.wording)")
        }
        guard range.contains(value) else {
            throw error(key, "\(scalar.string) is out of range; expected \(range.wording)")
        }
        return value
    }

    func optionalDouble(_ key: String, _ range: NumberRange = .any) throws -> Double? {
        has(key) ? try double(key, range) : nil
    }

    func unsignedInteger(_ key: String) throws -> UInt64 {
        let node = try required(key, "a whole number ≥ 0")
        guard case let .scalar(scalar) = node, let value = UInt64(scalar.string) else {
            throw error(key, "'\(node.string ?? "?")' is not a whole number ≥ 0")
        }
        return value
    }

    /// One of a fixed set of words.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T? = nil) throws -> T
    where T.RawValue == String {
        let words = T.allCases.map(\.rawValue).joined(separator: ", ")
        guard has(key) else {
            if let fallback { return fallback }
            throw error(key, "missing; expected one of \(words)")
        }
        let text = try string(key)
        guard let value = T(rawValue: text) else { throw error(key, "'\(text)' is not one of \(words)") }
        return value
    }

    func mapping(_ key: String, allowed: [String]) throws -> ConfigMapping {
        let node = try required(key, "a mapping of keys (\(allowed.joined(separator: ", ")))")
        return try ConfigMapping(node, path: keyPath(key), file: file, allowed: allowed)
    }

    func optionalMapping(_ key: String, allowed: [String]) throws -> ConfigMapping? {
        has(key) ? try mapping(key, allowed: allowed) : nil
    }

    /// A mapping whose keys are free (e.g. layer names), as (key, node) pairs in file order.
    func freeMapping(_ key: String) throws -> [(key: String, value: Node, line: Int?)] {
        guard let node = self[key] else { return [] }
        guard case let .mapping(mapping) = node else { throw error(key, "expected a mapping of name: value") }
        return try mapping.map { pair in
            guard let name = pair.key.string, !name.isEmpty else { throw error(key, "names must be text") }
            return (name, pair.value, pair.key.mark?.line)
        }
    }

    /// A sequence of nodes (empty when the key is absent).
    func sequence(_ key: String) throws -> [Node] {
        guard let node = self[key] else { return [] }
        guard case let .sequence(sequence) = node else { throw error(key, "expected a list") }
        return Array(sequence)
    }
}

/// An allowed interval for a number, with its wording for messages.
struct NumberRange: Sendable {
    var lower: Double?
    var lowerInclusive: Bool
    var upper: Double?
    var upperInclusive: Bool
    var name: String = "x"

    static let any = NumberRange(lower: nil, lowerInclusive: true, upper: nil, upperInclusive: true)
    static let positive = NumberRange(lower: 0, lowerInclusive: false, upper: nil, upperInclusive: true)
    static let nonNegative = NumberRange(lower: 0, lowerInclusive: true, upper: nil, upperInclusive: true)
    static let openUnit = NumberRange(lower: 0, lowerInclusive: false, upper: 1, upperInclusive: false)

    static func between(_ lo: Double, _ hi: Double, closed: Bool = true) -> NumberRange {
        NumberRange(lower: lo, lowerInclusive: closed, upper: hi, upperInclusive: closed)
    }

    func named(_ name: String) -> NumberRange {
        var copy = self
        copy.name = name
        return copy
    }

    func contains(_ v: Double) -> Bool {
        if let lower, lowerInclusive ? v < lower : v <= lower { return false }
        if let upper, upperInclusive ? v > upper : v >= upper { return false }
        return true
    }

    var wording: String {
        func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
        switch (lower, upper) {
        case (nil, nil): return "(any value)"
        case let (lo?, nil): return "\(name) \(lowerInclusive ? "≥" : ">") \(number(lo))"
        case let (nil, hi?): return "\(name) \(upperInclusive ? "≤" : "<") \(number(hi))"
        case let (lo?, hi?):
            return "\(number(lo)) \(lowerInclusive ? "≤" : "<") \(name) \(upperInclusive ? "≤" : "<") \(number(hi))"
        }
    }
}
