import ArgumentParser
import Foundation
import GeoRaster
import Stages
import StudyCore

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a study's inputs: grid, CRS, cells, elevation, layers, points, study area.",
        discussion: """
            Reads the DEM, checks every layer is aligned with it, and locates the landslide inventory and the \
            evaluation points on its grid (reprojecting them when their CRS differs). Fails with a one-line \
            error naming the file or key when an input is missing, unreadable, misaligned or out of range.
            """)

    @OptionGroup var options: StudyOptions

    @Flag(help: "Print the report as JSON (with provenance) instead of text.")
    var json = false

    @Option(help: "Also write the report as results JSON (with provenance) to this file, atomically.")
    var out: String?

    @OptionGroup var threading: ThreadsOption

    func run() throws {
        try reportingErrors {
            let config = try options.load()
            let context = try StudyContext(config)
            var info = try StudyInfo.gather(context)
            // What `ppm` and the experiments would refuse later is refused now: the storm (file and
            // evaluate_at_h) and the correlation matrix, region-wide and per soil zone.
            _ = try PPMRun.storm(config)
            _ = try Scenario.config.uncertainty(config)
            for (_, zone) in (config.zones?.classes ?? [:]).sorted(by: { $0.key < $1.key }) {
                _ = try Scenario.config.uncertainty(config, parameters: zone)
            }
            info.modelFactors = ["patch_cnn": context.factors(for: .patchCNN), "networks": context.factors(for: .bp),
                                 "glm": context.factors(for: .glm)]
            let document = ResultsDocument(
                provenance: .current(configDigest: config.configDigest, seed: config.seed), results: info)
            if let out { try document.write(to: out) }
            if json {
                FileHandle.standardOutput.write(try document.encoded())
            } else {
                print(InfoReport.text(info))
            }
        }
    }
}

/// The human-readable `info` report.
enum InfoReport {
    static func text(_ info: StudyInfo) -> String {
        var lines: [String] = []
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 13, withPad: " ", startingAt: 0) + value) }
        let d = info.dem
        lines.append("\(info.name) — \(info.title)")
        row("config", "\(info.config) (sha256 \(info.configDigest.prefix(12)))")
        row("data root", "\(info.dataRoot) (\(info.dataRootSource))")
        lines.append("DEM            \(d.path)")
        row("grid", "\(d.columns) × \(d.rows) cells (columns × rows), \(number(d.cellSizeM)) m cells")
        row("CRS", d.crs)
        row("extent", "x \(fixed(d.extent[0], 1)) – \(fixed(d.extent[2], 1)), y \(fixed(d.extent[1], 1)) – \(fixed(d.extent[3], 1))")
        row("valid cells", "\(grouped(d.validCells)) of \(grouped(d.totalCells)) "
            + "(\(fixed(100 * Double(d.validCells) / Double(d.totalCells), 1)) %)")
        row("elevation", "\(fixed(d.elevationMinM, 1)) – \(fixed(d.elevationMaxM, 1)) m, mean \(fixed(d.elevationMeanM, 1)) m")
        if info.layers.isEmpty {
            lines.append("Layers         none besides the DEM")
        } else {
            lines.append("Layers         \(info.layers.count), all aligned with the DEM")
            let width = info.layers.map(\.name.count).max()! + 2
            for layer in info.layers {
                let range = layer.min.map { "\(fixed($0, 3)) – \(fixed(layer.max!, 3))" } ?? "no valid cell"
                let what = layer.classes.map { "categorical, \($0.count) classes" } ?? "range \(range)"
                lines.append("  " + layer.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    + "\((layer.path as NSString).lastPathComponent)  \(layer.dataType)  "
                    + "valid \(grouped(layer.validCells))  \(what)")
                if let classes = layer.classes {
                    lines.append("  " + "".padding(toLength: width, withPad: " ", startingAt: 0) + "classes (code: cells) "
                                 + classes.map { "\($0.code): \(grouped($0.cells))" }.joined(separator: ", "))
                }
            }
        }
        let inv = info.inventory
        lines.append("Landslides     \(inv.path)")
        if let p = inv.polygons {
            row("polygons", "\(grouped(p.polygons)): \(grouped(p.footprintCells)) landslide cells (centres inside), "
                + "\(grouped(p.offGrid)) polygons on no valid cell (policy: \(inv.offGridPolicy)), \(grouped(p.subCell)) smaller than a cell")
            row("samples", "\(grouped(p.samples)) (polygon_cells: \(p.polygonCells)); \(grouped(p.centroidOutside)) polygons' centroids lie outside them")
        } else {
            row("points", "\(grouped(inv.total)): \(grouped(inv.onValidCells)) inside the grid on valid cells, "
                + "\(grouped(inv.outsideGrid)) outside the grid, \(grouped(inv.onNodata)) on nodata (policy: \(inv.offGridPolicy))")
        }
        if let e = info.evaluationPoints {
            lines.append("Evaluation     \(e.path)")
            row("points", "\(grouped(e.total)): \(grouped(e.onValidCells)) on valid cells — "
                + "\(grouped(e.landslides ?? 0)) landslides, \(grouped(e.nonLandslides ?? 0)) non-landslides; "
                + "\(grouped(e.outsideGrid)) outside, \(grouped(e.onNodata)) on nodata")
        } else {
            lines.append("Evaluation     none")
        }
        if let a = info.studyArea {
            lines.append("Study area     \(a.path)")
            row("area", "\(a.polygons) polygon\(a.polygons == 1 ? "" : "s"), \(fixed(a.areaKm2, 2)) km², "
                + "\(grouped(a.cellsInside)) cell centres inside")
        }
        if let z = info.zones {
            lines.append("Soil zones     by layer \(z.layer): \(z.zones.count - 1) configured, the rest use parameters")
            let names = z.zones[0].parameters.map(\.name)
            let width = (names.map(\.count).max() ?? 0) + 2
            lines.append("  " + "zone".padding(toLength: 12, withPad: " ", startingAt: 0) + "cells".padding(toLength: 10, withPad: " ", startingAt: 0)
                         + names.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined())
            for zone in z.zones {
                let label = zone.code.map { "class \($0)" } ?? "parameters"
                let cells = zone.parameters.map { p -> String in
                    let mean = p.mean.map { String(format: "%g", $0) } ?? "model"
                    return "\(mean) ±\(String(format: "%g", p.cov)) \(p.distribution == "normal" ? "" : String(p.distribution.prefix(4)))"
                        .padding(toLength: width, withPad: " ", startingAt: 0)
                }
                lines.append("  " + label.padding(toLength: 12, withPad: " ", startingAt: 0)
                             + grouped(zone.cells).padding(toLength: 10, withPad: " ", startingAt: 0) + cells.joined())
            }
            lines.append("  (mean ±COV; soil depth's mean from soil_depth)")
            if !z.missingCodes.isEmpty {
                lines.append("  warning: zones.classes \(z.missingCodes.map(String.init).joined(separator: ", ")) "
                             + "\(z.missingCodes.count == 1 ? "is" : "are") on no valid cell of \(z.layer)")
            }
            if !z.codesWithoutEntry.isEmpty {
                lines.append("  classes without an entry (their cells use parameters): "
                             + z.codesWithoutEntry.map(String.init).joined(separator: ", "))
            }
        }
        let s = info.samplers
        lines.append("Samplers       buffer \(number(s.bufferMeters)) m, slope ≤ \(number(s.slopeMaxDegrees))°, POF < \(number(s.pofThreshold)) "
                     + "then \(s.openKernel) × \(s.openKernel) opening, \(s.closeKernel) × \(s.closeKernel) closing")
        lines.append("Factors        \(info.factors.count) names for `train --factors` (derived ones computed on first use):")
        let width = info.factors.map(\.name.count).max() ?? 0
        for f in info.factors where !f.origin.hasPrefix("derived") {
            lines.append("  " + f.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "\(f.unit)  \(f.origin)")
        }
        let derived = info.factors.filter { $0.origin.hasPrefix("derived") }
        lines.append("  derived: " + derived.map { "\($0.name) (\($0.unit))" }.joined(separator: ", "))
        if let m = info.modelFactors {
            for key in ["patch_cnn", "networks", "glm"] {
                lines.append("  factors.\(key): ".padding(toLength: 21, withPad: " ", startingAt: 0) + (m[key] ?? []).joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// 158326 → "158,326".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func fixed(_ v: Double, _ places: Int) -> String { String(format: "%.\(places)f", v) }

    static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}
