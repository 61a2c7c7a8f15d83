import Foundation

/// One row of the speed-target table (issue G7): our figure, the peer's from the same run, the ratio
/// (peer time / our time, so > 1 means we are faster) and whether the target is met.
public struct TargetRow: Codable, Sendable {
    /// Position in the printed table (the issue's order).
    public var order: Int
    public var work: String
    public var ours: String
    public var peer: String
    public var ratio: Double?
    public var target: String
    public var met: Bool

    public init(order: Int, work: String, ours: String, peer: String = "—", ratio: Double? = nil, target: String, met: Bool) {
        self.order = order; self.work = work; self.ours = ours; self.peer = peer; self.ratio = ratio
        self.target = target; self.met = met
    }
}

/// Each benchmark writes its rows to `DIR/<bench>.json` (`--targets DIR`); `bench-table DIR` prints
/// them all as one table.
public enum TargetTable {
    /// Writes `rows` as `directory/name.json` (creating the folder).
    public static func write(_ rows: [TargetRow], name: String, directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(name).json"))
    }

    /// Every row in the folder's JSON files, in table order.
    public static func read(directory: String) throws -> [TargetRow] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try names.flatMap { name in
            try JSONDecoder().decode([TargetRow].self, from: Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
        }.sorted { $0.order < $1.order }
    }

    /// A Markdown table: work | ours | peer | ratio | target | verdict.
    public static func markdown(_ rows: [TargetRow]) -> String {
        var lines = ["| work | ours | peer (same run) | ratio | target | verdict |", "|---|---|---|---|---|---|"]
        for r in rows {
            let ratio = r.ratio.map { String(format: "%.2f×", $0) } ?? "—"
            lines.append("| \(r.work) | \(r.ours) | \(r.peer) | \(ratio) | \(r.target) | \(r.met ? "met" : "NOT met") |")
        }
        return lines.joined(separator: "\n")
    }

    /// Parses `--targets DIR` out of the arguments (nil when absent).
    public static func directory(in arguments: [String]) -> String? {
        guard let i = arguments.firstIndex(of: "--targets"), i + 1 < arguments.count else { return nil }
        return arguments[i + 1]
    }
}

/// `1234567` → "1,234,567".
public func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var out = ""
    for (i, ch) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
        out.append(ch)
    }
    return String(out.reversed())
}
